using CloudCredentials.Internal;

namespace CloudCredentials.Alibaba.Sts;

/// <summary>
/// Signs one AssumeRole call, again for every attempt (a retry gets a new timestamp, nonce and signature), with
/// <see cref="RpcSigner"/> over the query and the form body. The last string to sign is kept so that a
/// <c>SignatureDoesNotMatch</c> can tell whether STS computed the same one.
/// </summary>
/// <param name="endpoint">The STS endpoint.</param>
/// <param name="body">The form body of the call (signed with the query, sent unchanged).</param>
/// <param name="credential">The signing AccessKey pair, with a security token if it is a session credential.</param>
/// <param name="timeProvider">The clock for the <c>Timestamp</c>.</param>
internal sealed class AssumeRoleSigner(Uri endpoint, List<KeyValuePair<string, string>> body, CloudCredential credential, TimeProvider timeProvider)
{
    private readonly object _gate = new();
    private string? _lastStringToSign;

    /// <summary>Gets the string to sign of the last attempt, or <see langword="null"/> before the first.</summary>
    public string? LastStringToSign
    {
        get
        {
            lock (_gate)
            {
                return _lastStringToSign;
            }
        }
    }

    /// <summary>Signs a new attempt: fresh timestamp and nonce.</summary>
    /// <returns>The endpoint with the signed query.</returns>
    public Uri Sign()
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("Version", StsClient.ApiVersion),
            new("Action", "AssumeRole"),
            new("Format", "JSON"),
            new("Timestamp", CredentialJson.FormatUtc(timeProvider.GetUtcNow())),
            new("SignatureMethod", "HMAC-SHA1"),
            new("SignatureVersion", "1.0"),
            new("SignatureNonce", Guid.NewGuid().ToString()),
            new("AccessKeyId", credential.AccessKeyId!),
        };
        if (!string.IsNullOrEmpty(credential.SecurityToken))
        {
            query.Add(new("SecurityToken", credential.SecurityToken));
        }

        List<KeyValuePair<string, string>> all = [.. query, .. body];
        string stringToSign = RpcSigner.StringToSign("POST", all);
        query.Add(new("Signature", RpcSigner.HmacSha1(stringToSign, credential.AccessKeySecret + "&")));
        lock (_gate)
        {
            _lastStringToSign = stringToSign;
        }

        return StsClient.BuildUri(endpoint, query);
    }
}
