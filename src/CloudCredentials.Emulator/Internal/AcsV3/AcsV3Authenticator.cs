using CloudCredentials.Emulator.Internal.Signing;

namespace CloudCredentials.Emulator.Internal.AcsV3;

/// <summary>
/// The gateway's checks of a V3 call (SIGNING.md §1): the common headers, <c>x-acs-date</c> within the skew window,
/// <c>x-acs-content-sha256</c> equal to the body's hash, a known AccessKey (a configured permanent key, or an STS key the
/// emulator issued with its unexpired <c>x-acs-security-token</c>), the recomputed signature, and last the nonce (per
/// AccessKey, spent only by a request whose signature matched). Bearer calls (§1.6) are accepted where the route allows them.
/// </summary>
internal sealed class AcsV3Authenticator(EmulatorSettings settings, AlibabaKeyResolver keys, NonceStore nonces)
{
    private const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    private static readonly string[] RequiredHeaders =
        ["x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"];

    /// <summary>True when <paramref name="request"/> is a valid V3 (or, if <paramref name="allowBearer"/>, bearer) call.</summary>
    public bool TryAuthenticate(CapturedRequest request, bool allowBearer, out AcsV3Caller caller, out StsError error)
    {
        caller = null!;
        if (IsBearer(request))
        {
            return TryAuthenticateBearer(request, allowBearer, out caller, out error);
        }

        foreach (string header in RequiredHeaders)
        {
            if (string.IsNullOrEmpty(request.Header(header)))
            {
                return StsError.Refuse(StsError.Missing("MissingParameter", header), out error);
            }
        }

        if (!TryCheckDate(request, out error))
        {
            return false;
        }

        if (!Acs3Signature.TryParseAuthorization(request.Header("Authorization"), out string accessKeyId, out string declaredHeaders, out string signature))
        {
            return StsError.Refuse(StsError.BadRequest(
                "IncompleteSignature",
                "The request signature does not conform to Aliyun standards: the Authorization header must be '" + Acs3Signature.Algorithm
                + " Credential=<AccessKeyId>,SignedHeaders=<headers>,Signature=<hex>'."), out error);
        }

        if (!string.Equals(request.Header("x-acs-content-sha256"), request.BodySha256, StringComparison.OrdinalIgnoreCase))
        {
            return StsError.Refuse(StsError.BadRequest(
                "SignatureDoesNotMatch",
                "The x-acs-content-sha256 header does not match the SHA-256 of the request body (the server computed " + request.BodySha256 + ")."), out error);
        }

        if (!keys.TryFindSecret(accessKeyId, request.Header("x-acs-security-token"), out string secret, out IssuedCredential? stsKey, out error))
        {
            return false;
        }

        string canonical = Acs3Signature.CanonicalRequest(request, request.BodySha256, out string signedHeaders);
        string stringToSign = Acs3Signature.StringToSign(canonical);
        if (!SigningText.SameSignature(Acs3Signature.Sign(stringToSign, secret), signature))
        {
            string hint = declaredHeaders == signedHeaders
                ? string.Empty
                : "\nthe request declares SignedHeaders=" + declaredHeaders + " but the server signs host, content-type and every x-acs-* header sent: " + signedHeaders;
            return StsError.Refuse(StsError.BadRequest(
                "SignatureDoesNotMatch",
                "Specified signature does not match our calculation. server string to sign is:" + stringToSign + hint
                + "\nserver canonical request (security token redacted) is:\n" + SigningText.RedactHeaderLine(canonical, "x-acs-security-token")), out error);
        }

        if (!nonces.TryUse(accessKeyId + "\n" + request.Header("x-acs-signature-nonce")))
        {
            return StsError.Refuse(StsError.BadRequest("SignatureNonceUsed", "Specified signature nonce was used already."), out error);
        }

        caller = new AcsV3Caller(accessKeyId, stsKey, Acs3Signature.Algorithm);
        error = default;
        return true;
    }

    private static bool IsBearer(CapturedRequest request) =>
        request.Header("x-acs-bearer-token") is not null
        || string.Equals(request.Header("x-acs-signature-type"), AcsV3Caller.BearerType, StringComparison.Ordinal)
        || SigningText.ParseQuery(request.RawQuery).Any(static p => p.Key == "SignatureType" && p.Value == AcsV3Caller.BearerType);

    private bool TryAuthenticateBearer(CapturedRequest request, bool allowBearer, out AcsV3Caller caller, out StsError error)
    {
        caller = null!;
        if (!allowBearer)
        {
            return StsError.Refuse(new StsError(403, "UnsupportedSignatureType", "This signature type is not supported."), out error);
        }

        if (request.Header("x-acs-date") is not null && !TryCheckDate(request, out error))
        {
            return false;
        }

        string? token = request.Header("x-acs-bearer-token");
        if (string.IsNullOrEmpty(token) || !settings.BearerTokens.Contains(token))
        {
            return StsError.Refuse(StsError.BadRequest("InvalidBearerToken", "Specified bearer token is not valid."), out error);
        }

        caller = new AcsV3Caller(string.Empty, null, AcsV3Caller.BearerType);
        error = default;
        return true;
    }

    private bool TryCheckDate(CapturedRequest request, out StsError error)
    {
        bool parsed = SigningText.TryParseUtc(request.Header("x-acs-date"), DateFormat, out DateTimeOffset sentAt);
        return StsError.TryCheckSentAt(settings, parsed, sentAt, out error);
    }
}
