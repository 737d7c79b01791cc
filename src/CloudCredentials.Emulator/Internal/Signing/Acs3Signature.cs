using System.Text;

namespace CloudCredentials.Emulator.Internal.Signing;

/// <summary>
/// The emulator's own computation of Alibaba Cloud OpenAPI signature V3 (<c>ACS3-HMAC-SHA256</c>), written from
/// SIGNING.md §1.2–§1.3 and sharing no code with the library's signer:
/// <list type="number">
/// <item>Canonical URI: the path exactly as on the wire (encoded once by the client); empty → <c>/</c>.</item>
/// <item>Canonical query: decoded pairs re-encoded (RFC 3986), sorted by name then value, <c>name=value</c> joined by <c>&amp;</c>.</item>
/// <item>Canonical headers: <c>host</c>, <c>content-type</c> and every <c>x-acs-*</c>, names lower-cased, values trimmed
/// (inner spaces kept), a repeated name's values sorted and joined by <c>,</c>; sorted by name; <c>name:value\n</c> each.</item>
/// <item>String to sign: <c>ACS3-HMAC-SHA256\n</c> + hex SHA-256 of the canonical request; signature: hex HMAC-SHA256 keyed with the raw secret.</item>
/// </list>
/// </summary>
internal static class Acs3Signature
{
    public const string Algorithm = "ACS3-HMAC-SHA256";

    /// <summary>The canonical request of <paramref name="request"/>, with <paramref name="payloadHash"/> as its last line.</summary>
    public static string CanonicalRequest(CapturedRequest request, string payloadHash, out string signedHeaders)
    {
        string canonicalHeaders = CanonicalHeaders(request.Headers, out signedHeaders);
        return request.Method.ToUpperInvariant() + "\n"
            + (request.RawPath.Length == 0 ? "/" : request.RawPath) + "\n"
            + SigningText.CanonicalQuery(SigningText.ParseQuery(request.RawQuery)) + "\n"
            + canonicalHeaders + "\n"
            + signedHeaders + "\n"
            + payloadHash;
    }

    /// <summary>The <c>name:value\n</c> lines of the signed headers, and their names joined by <c>;</c>.</summary>
    public static string CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers, out string signedHeaders)
    {
        var selected = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> header in headers)
        {
            string name = header.Key.ToLowerInvariant();
            if (name is not ("host" or "content-type") && !name.StartsWith("x-acs-", StringComparison.Ordinal))
            {
                continue;
            }

            if (!selected.TryGetValue(name, out List<string>? values))
            {
                values = [];
                selected[name] = values;
            }

            values.Add(header.Value.Trim());
        }

        var lines = new StringBuilder();
        foreach (KeyValuePair<string, List<string>> pair in selected)
        {
            pair.Value.Sort(StringComparer.Ordinal);
            lines.Append(pair.Key).Append(':').Append(string.Join(',', pair.Value)).Append('\n');
        }

        signedHeaders = string.Join(';', selected.Keys);
        return lines.ToString();
    }

    public static string StringToSign(string canonicalRequest) => Algorithm + "\n" + SigningText.HexSha256(canonicalRequest);

    public static string Sign(string stringToSign, string accessKeySecret) =>
        Convert.ToHexStringLower(SigningText.HmacSha256(Encoding.UTF8.GetBytes(accessKeySecret), stringToSign));

    /// <summary>
    /// Parses <c>ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=hex</c> (the three fields in any order,
    /// spaces after the commas tolerated).
    /// </summary>
    public static bool TryParseAuthorization(string? header, out string accessKeyId, out string signedHeaders, out string signature)
    {
        accessKeyId = signedHeaders = signature = string.Empty;
        if (header is null || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return false;
        }

        (accessKeyId, signedHeaders, signature) = SigningText.ParseAuthorizationFields(header[(Algorithm.Length + 1)..]);

        return accessKeyId.Length > 0 && signature.Length > 0;
    }
}
