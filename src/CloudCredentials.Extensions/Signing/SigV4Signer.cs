using System.Globalization;

namespace CloudCredentials.Signing;

/// <summary>
/// AWS Signature Version 4 (<c>AWS4-HMAC-SHA256</c>, Authorization header form) for one signing service and region,
/// per SIGNING.md §2: non-S3 paths normalised and encoded twice, S3 paths encoded once; sorted canonical query;
/// header values trimmed with whitespace runs folded; <c>x-amz-date</c>, <c>x-amz-security-token</c>,
/// <c>x-amz-content-sha256</c> (always for <c>s3</c>); the derived signing key cached per day and secret.
/// </summary>
/// <remarks>
/// Thread-safe; keep one instance per service and region. Pure: the time and the credential are arguments.
/// <see cref="Sign(string, string, string?, IEnumerable{KeyValuePair{string, string}}, string, string, string, string)"/>
/// exposes every intermediate value; <see cref="Sign(HttpRequestMessage, ReadOnlySpan{byte}, CloudCredential, DateTimeOffset)"/>
/// signs a request in place.
/// </remarks>
public sealed class SigV4Signer
{
    /// <summary>The algorithm name: <c>AWS4-HMAC-SHA256</c>.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The payload hash literal of an unsigned payload (S3 only): <c>UNSIGNED-PAYLOAD</c>.</summary>
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>The hex SHA-256 of an empty payload.</summary>
    public const string EmptyPayloadHash = SigningText.EmptyPayloadHash;

    private const string DateHeader = "x-amz-date";
    private const string TokenHeader = "x-amz-security-token";
    private const string ContentSha256Header = "x-amz-content-sha256";

    private static readonly HttpRequestOptionsKey<bool> ContentSha256SetBySigner = new("CloudCredentials.SigV4.ContentSha256SetBySigner");

    private readonly DerivedKeyCache _keys;
    private readonly bool _s3;

    /// <summary>Creates a signer.</summary>
    /// <param name="service">The signing name, such as <c>sts</c>, <c>s3</c>, <c>execute-api</c> (not always the endpoint prefix).</param>
    /// <param name="region">The signing region, such as <c>us-east-1</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="service"/> or <paramref name="region"/> is null or empty.</exception>
    public SigV4Signer(string service, string region)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentException.ThrowIfNullOrEmpty(region);
        Service = service;
        Region = region;
        _s3 = service == "s3";
        _keys = new DerivedKeyCache(region, service);
    }

    /// <summary>Gets the signing name of the service.</summary>
    public string Service { get; }

    /// <summary>Gets the signing region.</summary>
    public string Region { get; }

    /// <summary>
    /// Gets a value indicating whether requests signed in place use <see cref="UnsignedPayload"/> instead of the body hash
    /// (only services that accept it, such as S3, and only over HTTPS).
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool UseUnsignedPayload { get; init; }

    /// <summary>Gets a value indicating whether requests signed in place carry (and sign) <c>x-amz-content-sha256</c>.</summary>
    /// <value>The default is <see langword="true"/> for service <c>s3</c> (which requires it), else <see langword="false"/>.</value>
    public bool SetContentSha256Header
    {
        get => _setContentSha256 ?? _s3;
        init => _setContentSha256 = value;
    }

    private readonly bool? _setContentSha256;

    /// <summary>Returns a signer like this one with <see cref="SetContentSha256Header"/> set.</summary>
    internal SigV4Signer WithContentSha256Header(bool value) => new(Service, Region) { UseUnsignedPayload = UseUnsignedPayload, SetContentSha256Header = value };

    /// <summary>Formats a time as <c>x-amz-date</c>: UTC <c>yyyyMMdd'T'HHmmss'Z'</c>.</summary>
    /// <param name="time">The signing time.</param>
    /// <returns>For example <c>20150830T123600Z</c>.</returns>
    public static string FormatTimestamp(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Returns the lower-case hex SHA-256 of a payload (the payload hash line).</summary>
    /// <param name="payload">The exact body bytes.</param>
    /// <returns>64 hex characters.</returns>
    public static string HashPayload(ReadOnlySpan<byte> payload) => SigningText.Sha256Hex(payload);

    /// <summary>Gets the credential scope <c>yyyyMMdd/region/service/aws4_request</c> of a timestamp.</summary>
    /// <param name="timestamp">The <c>x-amz-date</c> value.</param>
    /// <returns>The scope.</returns>
    public string GetCredentialScope(string timestamp)
    {
        ValidateTimestamp(timestamp);
        return string.Concat(timestamp.AsSpan(0, 8), "/", Region, "/" + Service + "/aws4_request");
    }

    /// <summary>
    /// Computes the signature of request parts exactly as given: the headers must already include <c>host</c>,
    /// <c>x-amz-date</c> and, for a session credential, <c>x-amz-security-token</c>.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path as sent on the wire (percent-encoded); empty means <c>/</c>.</param>
    /// <param name="query">The query as sent on the wire, with or without <c>?</c>; <see langword="null"/> or empty for none.</param>
    /// <param name="headers">The headers (any case, repeated names allowed); never-signed ones such as <c>User-Agent</c> are skipped.</param>
    /// <param name="payloadHash">The payload hash line (see <see cref="HashPayload"/>, <see cref="UnsignedPayload"/>).</param>
    /// <param name="accessKeyId">The access key id.</param>
    /// <param name="secretAccessKey">The secret access key.</param>
    /// <param name="timestamp">The <c>x-amz-date</c> value (see <see cref="FormatTimestamp"/>).</param>
    /// <returns>The canonical request, string to sign, signature and Authorization value.</returns>
    public SigningResult Sign(
        string method,
        string path,
        string? query,
        IEnumerable<KeyValuePair<string, string>> headers,
        string payloadHash,
        string accessKeyId,
        string secretAccessKey,
        string timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentException.ThrowIfNullOrEmpty(payloadHash);
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        ValidateTimestamp(timestamp);

        var canonicalHeaders = new CanonicalHeaders(HeaderRules.SigV4, 8);
        try
        {
            canonicalHeaders.AddRange(headers);
            return Compute(method, path, query, ref canonicalHeaders, payloadHash, accessKeyId, secretAccessKey, timestamp, keepText: true);
        }
        finally
        {
            canonicalHeaders.Dispose();
        }
    }

    /// <summary>
    /// Signs a request in place: replaces <c>x-amz-date</c>, <c>x-amz-security-token</c> (when the credential has a
    /// token) and <c>Authorization</c>, sets <c>x-amz-content-sha256</c> when <see cref="SetContentSha256Header"/>,
    /// and signs <c>host</c> plus every single-valued request and content header except the never-signed ones.
    /// Call it last, after every change to the URI, body or headers.
    /// </summary>
    /// <param name="request">The request; its URI must be absolute.</param>
    /// <param name="body">The exact body bytes that will be sent (empty for none).</param>
    /// <param name="credential">An AccessKey credential (with its session token, if any).</param>
    /// <param name="time">The signing time (from a <see cref="TimeProvider"/>).</param>
    /// <exception cref="ArgumentException">The credential has no access key id or secret (such as a bearer credential).</exception>
    public void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, CloudCredential credential, DateTimeOffset time)
        => SignWithPayloadHash(request, UseUnsignedPayload ? UnsignedPayload : HashPayload(body), credential, time);

    /// <summary>Signs a request in place like <see cref="Sign(HttpRequestMessage, ReadOnlySpan{byte}, CloudCredential, DateTimeOffset)"/>, given the payload hash line.</summary>
    /// <param name="request">The request; its URI must be absolute.</param>
    /// <param name="payloadHash">The hex SHA-256 of the body, or <see cref="UnsignedPayload"/>. A caller-set <c>x-amz-content-sha256</c> takes precedence.</param>
    /// <param name="credential">An AccessKey credential (with its session token, if any).</param>
    /// <param name="time">The signing time.</param>
    /// <exception cref="ArgumentException">The credential has no access key id or secret.</exception>
    public void SignWithPayloadHash(HttpRequestMessage request, string payloadHash, CloudCredential credential, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(payloadHash);
        (string accessKeyId, string secret) = SigningCredential.RequireKeyPair(credential);
        Uri uri = RequestParts.Uri(request);

        string timestamp = FormatTimestamp(time);
        request.Headers.Remove("Authorization");
        RequestParts.Set(request.Headers, DateHeader, timestamp);
        request.Headers.Remove(TokenHeader);
        if (!string.IsNullOrEmpty(credential.SecurityToken))
        {
            request.Headers.TryAddWithoutValidation(TokenHeader, credential.SecurityToken);
        }

        // A caller's x-amz-content-sha256 is the payload line; one this signer set on an earlier attempt is not.
        if (request.Options.TryGetValue(ContentSha256SetBySigner, out bool ours) && ours)
        {
            request.Headers.Remove(ContentSha256Header);
        }

        payloadHash = RequestParts.Get(request, ContentSha256Header) ?? payloadHash;
        if (SetContentSha256Header && !request.Headers.Contains(ContentSha256Header))
        {
            request.Headers.TryAddWithoutValidation(ContentSha256Header, payloadHash);
            request.Options.Set(ContentSha256SetBySigner, true);
        }

        var headers = new CanonicalHeaders(HeaderRules.SigV4, 12);
        try
        {
            RequestParts.AddHeaders(ref headers, request, RequestParts.Host(request, uri));
            SigningResult result = Compute(
                RequestParts.Method(request), uri.AbsolutePath, uri.Query, ref headers, payloadHash, accessKeyId, secret, timestamp, keepText: false);
            request.Headers.TryAddWithoutValidation("Authorization", result.Authorization);
            RequestParts.SendCanonicalQuery(request, uri, uri.Query);
        }
        finally
        {
            headers.Dispose();
        }
    }

    private SigningResult Compute(
        string method,
        string path,
        string? query,
        ref CanonicalHeaders headers,
        string payloadHash,
        string accessKeyId,
        string secret,
        string timestamp,
        bool keepText)
    {
        var canonical = new TextBuffer(512);
        var signedHeaders = new TextBuffer(128);
        var stringToSign = new TextBuffer(160);
        try
        {
            CanonicalRequest.Write(ref canonical, ref signedHeaders, method, path, _s3 ? PathRule.EncodeOnce : PathRule.NormalizeAndEncodeTwice, query, ref headers, payloadHash);

            ReadOnlySpan<char> date8 = timestamp.AsSpan(0, 8);
            stringToSign.Append(Algorithm + "\n");
            stringToSign.Append(timestamp);
            stringToSign.Append('\n');
            int scopeStart = stringToSign.Length;
            WriteScope(ref stringToSign, date8);
            int scopeEnd = stringToSign.Length;
            stringToSign.Append('\n');
            SigningText.Sha256Hex(canonical.Span, stringToSign.AppendSpan(64));

            Span<byte> mac = stackalloc byte[32];
            _keys.Sign(secret, date8, stringToSign.Span, mac);
            Span<char> signature = stackalloc char[64];
            SigningText.WriteHex(mac, signature);

            var authorization = new TextBuffer(256);
            try
            {
                authorization.Append(Algorithm + " Credential=");
                authorization.Append(accessKeyId);
                authorization.Append('/');
                authorization.Append(stringToSign.Span[scopeStart..scopeEnd]);
                authorization.Append(", SignedHeaders=");
                authorization.Append(signedHeaders.Span);
                authorization.Append(", Signature=");
                authorization.Append(signature);
                return SigningResult.Create(keepText, canonical.Span, stringToSign.Span, signedHeaders.Span, signature, authorization.Span);
            }
            finally
            {
                authorization.Dispose();
            }
        }
        finally
        {
            canonical.Dispose();
            signedHeaders.Dispose();
            stringToSign.Dispose();
        }
    }

    private void WriteScope(ref TextBuffer target, ReadOnlySpan<char> date8)
    {
        target.Append(date8);
        target.Append('/');
        target.Append(Region);
        target.Append('/');
        target.Append(Service);
        target.Append("/aws4_request");
    }

    private static void ValidateTimestamp(string timestamp)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        if (timestamp.Length != 16 || timestamp[8] != 'T' || timestamp[15] != 'Z')
        {
            throw new ArgumentException($"The SigV4 timestamp '{timestamp}' is not in the x-amz-date form yyyyMMddTHHmmssZ.", nameof(timestamp));
        }
    }
}
