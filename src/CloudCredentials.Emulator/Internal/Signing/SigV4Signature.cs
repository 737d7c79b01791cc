using System.Globalization;
using System.Text;

namespace CloudCredentials.Emulator.Internal.Signing;

/// <summary>
/// The emulator's own computation of AWS Signature Version 4 (<c>AWS4-HMAC-SHA256</c>), written from SIGNING.md §2.2–§2.3
/// and sharing no code with the library's signer:
/// <list type="number">
/// <item>Canonical URI: the wire path; except for <c>s3</c>, dot segments and empty segments removed, then encoded again keeping <c>/</c>.</item>
/// <item>Canonical query: decoded pairs re-encoded, sorted by encoded name then value.</item>
/// <item>Canonical headers: the headers the client lists in <c>SignedHeaders</c>, values trimmed and whitespace runs folded to
/// one space, a repeated name's values joined by <c>,</c> in arrival order.</item>
/// <item>Scope <c>date/region/service/aws4_request</c>; key <c>HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")</c>.</item>
/// </list>
/// </summary>
internal static class SigV4Signature
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static string CanonicalRequest(CapturedRequest request, IReadOnlyList<string> signedHeaders, string service, string payloadHash) =>
        request.Method.ToUpperInvariant() + "\n"
        + CanonicalUri(request.RawPath, service) + "\n"
        + SigningText.CanonicalQuery(SigningText.ParseQuery(request.RawQuery)) + "\n"
        + CanonicalHeaders(request, signedHeaders) + "\n"
        + string.Join(';', signedHeaders) + "\n"
        + payloadHash;

    public static string CanonicalUri(string rawPath, string service)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }

        if (string.Equals(service, "s3", StringComparison.Ordinal))
        {
            return rawPath;
        }

        var segments = new List<string>();
        foreach (string segment in rawPath.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        string normalized = "/" + string.Join('/', segments);
        if (segments.Count > 0 && rawPath.EndsWith('/'))
        {
            normalized += "/";
        }

        return SigningText.Encode(normalized, keepSlash: true);
    }

    public static string CanonicalHeaders(CapturedRequest request, IReadOnlyList<string> signedHeaders)
    {
        var lines = new StringBuilder();
        foreach (string name in signedHeaders)
        {
            lines.Append(name).Append(':').Append(string.Join(',', request.HeaderValues(name).Select(TrimAll))).Append('\n');
        }

        return lines.ToString();
    }

    public static string Scope(string date8, string region, string service) => date8 + "/" + region + "/" + service + "/aws4_request";

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        Algorithm + "\n" + amzDate + "\n" + scope + "\n" + SigningText.HexSha256(canonicalRequest);

    public static string Sign(string secret, string date8, string region, string service, string stringToSign)
    {
        byte[] key = SigningText.HmacSha256(Encoding.UTF8.GetBytes("AWS4" + secret), date8);
        key = SigningText.HmacSha256(key, region);
        key = SigningText.HmacSha256(key, service);
        key = SigningText.HmacSha256(key, "aws4_request");
        return Convert.ToHexStringLower(SigningText.HmacSha256(key, stringToSign));
    }

    public static string FormatDate(DateTimeOffset value) => value.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses <c>AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex</c>.</summary>
    public static bool TryParseAuthorization(string? header, out Authorization authorization)
    {
        authorization = default;
        if (header is null || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return false;
        }

        (string credential, string signedHeaders, string signature) = SigningText.ParseAuthorizationFields(header[(Algorithm.Length + 1)..]);

        string[] scope = credential.Split('/');
        if (scope.Length != 5 || scope.Any(static s => s.Length == 0) || signedHeaders.Length == 0 || signature.Length == 0)
        {
            return false;
        }

        authorization = new Authorization(scope[0], scope[1], scope[2], scope[3], scope[4], signedHeaders.Split(';'), signature);
        return true;
    }

    /// <summary>"Trimall": trim, and fold every run of whitespace (including line breaks) to one space.</summary>
    private static string TrimAll(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The fields of a SigV4 <c>Authorization</c> header.</summary>
    internal readonly record struct Authorization(
        string AccessKeyId, string Date8, string Region, string Service, string Terminator, IReadOnlyList<string> SignedHeaders, string Signature);
}
