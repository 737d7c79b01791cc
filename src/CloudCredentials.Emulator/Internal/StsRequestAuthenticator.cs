using System.Globalization;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// The gateway's checks of a signed STS call, in the order the real service makes them: the common parameters
/// (<c>AccessKeyId</c>, <c>SignatureMethod</c>, <c>SignatureVersion</c>, <c>Timestamp</c>, <c>SignatureNonce</c>,
/// <c>Signature</c>), the AccessKey (a configured permanent key, or an STS key the emulator issued together with its
/// <c>SecurityToken</c>), the RPC signature over the union of query and form with the real HTTP method, and last the
/// nonce, which is only spent by a request whose signature matched.
/// </summary>
internal sealed class StsRequestAuthenticator(EmulatorSettings settings, AlibabaKeyResolver keys, NonceStore nonces)
{
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    /// <summary>True when <paramref name="request"/> is signed by a known key; otherwise <paramref name="error"/> says why not.</summary>
    public bool TryAuthenticate(StsRequest request, out StsError error)
    {
        if (!TryReadCommonParameters(request, out string accessKeyId, out string nonce, out string signature, out error)
            || !keys.TryFindSecret(accessKeyId, request.Get("SecurityToken"), out string secret, out _, out error))
        {
            return false;
        }

        if (!RpcSignatureVerifier.Verify(request.Method, request.All, secret, signature, out string serverStringToSign))
        {
            return StsError.Refuse(
                StsError.BadRequest(
                    "SignatureDoesNotMatch",
                    "Specified signature is not matched with our calculation. server string to sign is:" + serverStringToSign),
                out error);
        }

        if (!nonces.TryUse(nonce))
        {
            return StsError.Refuse(StsError.BadRequest("SignatureNonceUsed", "Specified signature nonce was used already."), out error);
        }

        return true;
    }

    private bool TryReadCommonParameters(StsRequest request, out string accessKeyId, out string nonce, out string signature, out StsError error)
    {
        nonce = signature = string.Empty;
        accessKeyId = request.Get("AccessKeyId") ?? string.Empty;
        if (accessKeyId.Length == 0)
        {
            return StsError.Refuse(StsError.BadRequest("MissingAccessKeyId", "AccessKeyId is mandatory for this action."), out error);
        }

        string? signatureMethod = request.Get("SignatureMethod");
        if (string.IsNullOrEmpty(signatureMethod))
        {
            return StsError.Refuse(StsError.Missing("MissingSignatureMethod", "SignatureMethod"), out error);
        }

        if (!string.Equals(signatureMethod, "HMAC-SHA1", StringComparison.Ordinal))
        {
            return StsError.Refuse(StsError.BadRequest("InvalidSignatureMethod", "Specified signature method is not supported."), out error);
        }

        string? signatureVersion = request.Get("SignatureVersion");
        if (string.IsNullOrEmpty(signatureVersion))
        {
            return StsError.Refuse(StsError.Missing("MissingSignatureVersion", "SignatureVersion"), out error);
        }

        if (!string.Equals(signatureVersion, "1.0", StringComparison.Ordinal))
        {
            return StsError.Refuse(StsError.BadRequest("InvalidSignatureVersion", "Specified signature version is not supported."), out error);
        }

        if (!TryCheckTimestamp(request, out error))
        {
            return false;
        }

        nonce = request.Get("SignatureNonce") ?? string.Empty;
        if (nonce.Length == 0)
        {
            return StsError.Refuse(StsError.Missing("MissingSignatureNonce", "SignatureNonce"), out error);
        }

        signature = request.Get("Signature") ?? string.Empty;
        if (signature.Length == 0)
        {
            return StsError.Refuse(StsError.Missing("MissingSignature", "Signature"), out error);
        }

        error = default;
        return true;
    }

    /// <summary>The <c>Timestamp</c> must be ISO 8601 UTC and, when a skew limit is set, close to the emulator's clock.</summary>
    private bool TryCheckTimestamp(StsRequest request, out StsError error)
    {
        string? timestamp = request.Get("Timestamp");
        if (string.IsNullOrEmpty(timestamp))
        {
            return StsError.Refuse(StsError.Missing("MissingTimestamp", "Timestamp"), out error);
        }

        bool parsed = DateTimeOffset.TryParseExact(timestamp, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset sentAt);
        return StsError.TryCheckSentAt(settings, parsed, sentAt, out error);
    }
}
