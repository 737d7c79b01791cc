using System.Globalization;
using System.Security.Cryptography;

namespace CloudCredentials.Signing;

/// <summary>
/// Alibaba Cloud OpenAPI signature V3 (<c>ACS3-HMAC-SHA256</c>) per SIGNING.md §1, for RPC calls (path <c>/</c>,
/// parameters in the query or a form body) and ROA calls (resource path, JSON body): canonical URI encoded once,
/// sorted canonical query, signed headers = <c>host</c>, <c>content-type</c>, <c>x-acs-*</c>; STS credentials add
/// <c>x-acs-security-token</c>; bearer credentials use the bearer form (§1.6) with no HMAC.
/// </summary>
/// <remarks>Stateless and thread-safe; the time, nonce and credential are arguments.</remarks>
public static class AcsV3Signer
{
    /// <summary>The algorithm name: <c>ACS3-HMAC-SHA256</c>.</summary>
    public const string Algorithm = "ACS3-HMAC-SHA256";

    /// <summary>The hex SHA-256 of an empty payload.</summary>
    public const string EmptyPayloadHash = SigningText.EmptyPayloadHash;

    /// <summary>The value of <c>SignatureType</c> / <c>x-acs-signature-type</c> in the bearer form: <c>BEARERTOKEN</c>.</summary>
    public const string BearerSignatureType = "BEARERTOKEN";

    /// <summary>Formats a time as <c>x-acs-date</c>: UTC <c>yyyy-MM-dd'T'HH:mm:ss'Z'</c>.</summary>
    /// <param name="time">The signing time.</param>
    /// <returns>For example <c>2023-10-26T10:22:32Z</c>.</returns>
    public static string FormatTimestamp(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Returns the lower-case hex SHA-256 of a payload (<c>x-acs-content-sha256</c>).</summary>
    /// <param name="payload">The exact body bytes.</param>
    /// <returns>64 hex characters.</returns>
    public static string HashPayload(ReadOnlySpan<byte> payload) => SigningText.Sha256Hex(payload);

    /// <summary>Creates a fresh <c>x-acs-signature-nonce</c>: 16 random bytes as 32 hex characters.</summary>
    /// <returns>The nonce.</returns>
    public static string CreateNonce()
    {
        // Random bytes are drawn 1 KiB at a time per thread: one RNG call per 64 nonces instead of one per nonce.
        byte[] pool = t_nonceBytes ??= new byte[1024];
        if (t_nonceOffset == 0)
        {
            RandomNumberGenerator.Fill(pool);
        }

        string nonce = Convert.ToHexStringLower(pool.AsSpan(t_nonceOffset, 16));
        t_nonceOffset = (t_nonceOffset + 16) % pool.Length;
        return nonce;
    }

    [ThreadStatic]
    private static byte[]? t_nonceBytes;

    [ThreadStatic]
    private static int t_nonceOffset;

    /// <summary>
    /// Encodes parameters as a canonical query (RFC 3986, sorted by name then value), which is also a valid wire query.
    /// Flatten arrays and objects first (<c>InstanceIds.1</c>, <c>Tag.1.Key</c>); never repeat a name.
    /// </summary>
    /// <param name="parameters">The decoded names and values.</param>
    /// <returns>For example <c>RegionId=cn-hangzhou&amp;Tag.1.Value=a%20b</c>.</returns>
    public static string EncodeQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var wire = new TextBuffer(256);
        var canonical = new TextBuffer(256);
        try
        {
            foreach (KeyValuePair<string, string> parameter in parameters)
            {
                if (wire.Length > 0)
                {
                    wire.Append('&');
                }

                SigningText.Encode(ref wire, parameter.Key, keepSlash: false);
                wire.Append('=');
                SigningText.Encode(ref wire, parameter.Value ?? string.Empty, keepSlash: false);
            }

            CanonicalQuery.Write(ref canonical, wire.Span);
            return canonical.ToString();
        }
        finally
        {
            wire.Dispose();
            canonical.Dispose();
        }
    }

    /// <summary>Encodes one ROA path parameter (RFC 3986; <c>/</c> becomes <c>%2F</c>) to put between the path's slashes.</summary>
    /// <param name="value">The decoded value, such as a cluster id.</param>
    /// <returns>The encoded segment.</returns>
    public static string EncodePathSegment(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new TextBuffer(value.Length * 3);
        try
        {
            SigningText.Encode(ref buffer, value, keepSlash: false);
            return buffer.ToString();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>
    /// Computes the signature of request parts exactly as given: the headers must already include <c>host</c>,
    /// <c>x-acs-action</c>, <c>x-acs-version</c>, <c>x-acs-date</c>, <c>x-acs-signature-nonce</c>,
    /// <c>x-acs-content-sha256</c> and, for an STS credential, <c>x-acs-security-token</c>. Headers other than
    /// <c>host</c>, <c>content-type</c> and <c>x-acs-*</c> are not signed.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path as sent on the wire (percent-encoded); <c>/</c> for RPC.</param>
    /// <param name="query">The query as sent on the wire, with or without <c>?</c>; <see langword="null"/> or empty for none.</param>
    /// <param name="headers">The headers (any case).</param>
    /// <param name="payloadHash">The hex SHA-256 of the body (see <see cref="HashPayload"/>).</param>
    /// <param name="accessKeyId">The AccessKey id.</param>
    /// <param name="accessKeySecret">The AccessKey secret (the HMAC key as is).</param>
    /// <returns>The canonical request, string to sign, signature and Authorization value.</returns>
    public static SigningResult Sign(
        string method,
        string path,
        string? query,
        IEnumerable<KeyValuePair<string, string>> headers,
        string payloadHash,
        string accessKeyId,
        string accessKeySecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentException.ThrowIfNullOrEmpty(payloadHash);
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(accessKeySecret);
        var canonicalHeaders = new CanonicalHeaders(HeaderRules.AcsV3, 8);
        try
        {
            canonicalHeaders.AddRange(headers);
            return Compute(method, path, query, ref canonicalHeaders, payloadHash, accessKeyId, accessKeySecret, keepText: true);
        }
        finally
        {
            canonicalHeaders.Dispose();
        }
    }

    /// <summary>
    /// Signs a request in place, once per attempt, last: sets <c>x-acs-action</c>, <c>x-acs-version</c>, and replaces
    /// <c>x-acs-date</c>, <c>x-acs-signature-nonce</c>, <c>x-acs-content-sha256</c>, <c>x-acs-security-token</c> with
    /// <c>x-acs-accesskey-id</c> (STS credential) and <c>Authorization</c>; rewrites the query in its canonical form so
    /// the server sees what was signed. A bearer credential gets <c>x-acs-bearer-token</c> and
    /// <c>SignatureType=BEARERTOKEN</c> (RPC, path <c>/</c>) or <c>x-acs-signature-type: BEARERTOKEN</c> (ROA), and no
    /// <c>Authorization</c>.
    /// </summary>
    /// <param name="request">The request; its URI must be absolute; action and version from its <c>x-acs-action</c>/<c>x-acs-version</c> headers or <see cref="AcsRequestOptions"/>.</param>
    /// <param name="body">The exact body bytes that will be sent (empty for none).</param>
    /// <param name="credential">An AccessKey, STS or bearer credential.</param>
    /// <param name="time">The signing time (from a <see cref="TimeProvider"/>).</param>
    /// <param name="nonce">The <c>x-acs-signature-nonce</c>, or <see langword="null"/> for a fresh one (<see cref="CreateNonce"/>).</param>
    /// <exception cref="InvalidOperationException">No action or version, or no absolute URI.</exception>
    /// <exception cref="ArgumentException">The credential has neither an AccessKey pair nor a bearer token.</exception>
    public static void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, CloudCredential credential, DateTimeOffset time, string? nonce = null)
        => SignWithPayloadHash(request, HashPayload(body), credential, time, nonce);

    /// <summary>Signs a request in place like <see cref="Sign(HttpRequestMessage, ReadOnlySpan{byte}, CloudCredential, DateTimeOffset, string?)"/>, given the body's hex SHA-256.</summary>
    /// <param name="request">The request.</param>
    /// <param name="payloadHash">The hex SHA-256 of the exact body bytes.</param>
    /// <param name="credential">An AccessKey, STS or bearer credential.</param>
    /// <param name="time">The signing time.</param>
    /// <param name="nonce">The nonce, or <see langword="null"/> for a fresh one.</param>
    /// <exception cref="InvalidOperationException">No action or version, or no absolute URI.</exception>
    /// <exception cref="ArgumentException">The credential has neither an AccessKey pair nor a bearer token.</exception>
    public static void SignWithPayloadHash(HttpRequestMessage request, string payloadHash, CloudCredential credential, DateTimeOffset time, string? nonce = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(payloadHash);
        ArgumentNullException.ThrowIfNull(credential);
        if (AcsV3RequestSigning.Prepare(request, payloadHash, credential, FormatTimestamp(time), nonce ?? CreateNonce()) is not { } keyPair)
        {
            return; // bearer form: no Authorization
        }

        Uri uri = request.RequestUri!;
        var headers = new CanonicalHeaders(HeaderRules.AcsV3, 12);
        try
        {
            RequestParts.AddHeaders(ref headers, request, RequestParts.Host(request, uri));
            SigningResult result = Compute(RequestParts.Method(request), uri.AbsolutePath, uri.Query, ref headers, payloadHash, keyPair.AccessKeyId, keyPair.Secret, keepText: false);
            request.Headers.TryAddWithoutValidation("Authorization", result.Authorization);
        }
        finally
        {
            headers.Dispose();
        }
    }

    private static SigningResult Compute(
        string method, string path, string? query, ref CanonicalHeaders headers, string payloadHash, string accessKeyId, string secret, bool keepText)
    {
        var canonical = new TextBuffer(512);
        var signedHeaders = new TextBuffer(128);
        var stringToSign = new TextBuffer(96);
        var authorization = new TextBuffer(256);
        try
        {
            CanonicalRequest.Write(ref canonical, ref signedHeaders, method, path, PathRule.EncodeOnce, query, ref headers, payloadHash);
            stringToSign.Append(Algorithm + "\n");
            SigningText.Sha256Hex(canonical.Span, stringToSign.AppendSpan(64));

            Span<byte> mac = stackalloc byte[32];
            SigningText.HmacSha256Key(secret, stringToSign.Span, mac);
            Span<char> signature = stackalloc char[64];
            SigningText.WriteHex(mac, signature);

            authorization.Append(Algorithm + " Credential=");
            authorization.Append(accessKeyId);
            authorization.Append(",SignedHeaders=");
            authorization.Append(signedHeaders.Span);
            authorization.Append(",Signature=");
            authorization.Append(signature);
            return SigningResult.Create(keepText, canonical.Span, stringToSign.Span, signedHeaders.Span, signature, authorization.Span);
        }
        finally
        {
            canonical.Dispose();
            signedHeaders.Dispose();
            stringToSign.Dispose();
            authorization.Dispose();
        }
    }
}
