namespace CloudCredentials.Signing;

/// <summary>
/// The header work of ACS3 in-place signing (SIGNING.md §1.1, §1.5, §1.6, §3.1): clears what an earlier attempt left,
/// sets the per-attempt headers, canonicalises the wire query, and applies the STS or bearer form.
/// </summary>
internal static class AcsV3RequestSigning
{
    public const string ActionHeader = "x-acs-action";
    public const string VersionHeader = "x-acs-version";
    private const string BearerTokenHeader = "x-acs-bearer-token";
    private const string SignatureTypeHeader = "x-acs-signature-type";

    private static readonly string[] PerAttemptHeaders =
    [
        "Authorization", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "x-acs-security-token",
        "x-acs-accesskey-id", BearerTokenHeader, SignatureTypeHeader,
    ];

    /// <summary>Prepares the headers; returns the key pair to sign with, or <see langword="null"/> for the bearer form (done).</summary>
    public static (string AccessKeyId, string Secret)? Prepare(HttpRequestMessage request, string payloadHash, CloudCredential credential, string timestamp, string nonce)
    {
        Uri uri = RequestParts.Uri(request);
        bool bearer = !string.IsNullOrEmpty(credential.BearerToken) && string.IsNullOrEmpty(credential.AccessKeySecret);
        (string AccessKeyId, string Secret)? keyPair = bearer ? null : SigningCredential.RequireKeyPair(credential);

        string action = ActionOrVersion(request, ActionHeader, AcsRequestOptions.Action, "action");
        string version = ActionOrVersion(request, VersionHeader, AcsRequestOptions.Version, "version");
        foreach (string name in PerAttemptHeaders)
        {
            request.Headers.Remove(name);
        }

        RequestParts.Set(request.Headers, ActionHeader, action);
        RequestParts.Set(request.Headers, VersionHeader, version);
        request.Headers.TryAddWithoutValidation("x-acs-date", timestamp);
        request.Headers.TryAddWithoutValidation("x-acs-signature-nonce", nonce);
        request.Headers.TryAddWithoutValidation("x-acs-content-sha256", payloadHash);

        bool rpc = uri.AbsolutePath is "/" or "";
        string query = uri.Query;
        if (bearer)
        {
            request.Headers.TryAddWithoutValidation(BearerTokenHeader, credential.BearerToken);
            if (rpc && !query.Contains("SignatureType=", StringComparison.Ordinal))
            {
                query = query.Length > 1 ? query + "&SignatureType=" + AcsV3Signer.BearerSignatureType : "?SignatureType=" + AcsV3Signer.BearerSignatureType;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(SignatureTypeHeader, AcsV3Signer.BearerSignatureType);
            }
        }
        else if (!string.IsNullOrEmpty(credential.SecurityToken))
        {
            request.Headers.TryAddWithoutValidation("x-acs-security-token", credential.SecurityToken);
            request.Headers.TryAddWithoutValidation("x-acs-accesskey-id", keyPair!.Value.AccessKeyId);
        }

        RequestParts.SendCanonicalQuery(request, uri, query);
        return keyPair;
    }

    private static string ActionOrVersion(HttpRequestMessage request, string header, HttpRequestOptionsKey<string> key, string what)
    {
        string? value = RequestParts.Get(request, header);
        if (string.IsNullOrWhiteSpace(value) && (!request.Options.TryGetValue(key, out value) || string.IsNullOrWhiteSpace(value)))
        {
            throw new InvalidOperationException(
                $"The Alibaba Cloud request {request.Method} {request.RequestUri?.AbsolutePath} has no API {what}: call request.SetAcsAction(action, version), "
                + $"set the '{header}' header, or set AlibabaCloudSigningOptions.Default{char.ToUpperInvariant(what[0])}{what[1..]}.");
        }

        return value.Trim();
    }
}
