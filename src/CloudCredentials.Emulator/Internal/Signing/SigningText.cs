using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CloudCredentials.Emulator.Internal.Signing;

/// <summary>
/// The text primitives both verifiers share (SIGNING.md conventions): RFC 3986 encoding with upper-case hex, lower-case
/// hex SHA-256 and HMAC-SHA256, query decoding that keeps <c>+</c> literal, and ordinal sorting.
/// </summary>
internal static class SigningText
{
    /// <summary>The hex SHA-256 of an empty body.</summary>
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const string UpperHex = "0123456789ABCDEF";

    /// <summary>UTF-8 then percent-encode every byte but <c>A-Z a-z 0-9 - _ . ~</c> (and <c>/</c> when <paramref name="keepSlash"/>).</summary>
    public static string Encode(string value, bool keepSlash = false)
    {
        var encoded = new StringBuilder(value.Length + 8);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            if (IsUnreserved(b) || (keepSlash && b == (byte)'/'))
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(UpperHex[b >> 4]).Append(UpperHex[b & 0x0F]);
            }
        }

        return encoded.ToString();
    }

    /// <summary>Percent-decodes <paramref name="value"/> as UTF-8; <c>+</c> stays a plus (signed clients never mean a space by it).</summary>
    public static string Decode(string value) => value.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(value) : value;

    /// <summary>The (name, value) pairs of a raw query string (without <c>?</c>), decoded; a name without <c>=</c> has value <c>""</c>.</summary>
    public static List<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (string part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            pairs.Add(eq < 0
                ? new KeyValuePair<string, string>(Decode(part), string.Empty)
                : new KeyValuePair<string, string>(Decode(part[..eq]), Decode(part[(eq + 1)..])));
        }

        return pairs;
    }

    /// <summary>
    /// The canonical query both algorithms use: each name and value RFC 3986-encoded, sorted by encoded name then encoded
    /// value (ordinal), joined as <c>name=value</c> with <c>&amp;</c>.
    /// </summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> pairs) => string.Join(
        '&',
        pairs.Select(static p => (Name: Encode(p.Key), Value: Encode(p.Value)))
            .OrderBy(static p => p.Name, StringComparer.Ordinal)
            .ThenBy(static p => p.Value, StringComparer.Ordinal)
            .Select(static p => p.Name + "=" + p.Value));

    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string HexSha256(string text) => HexSha256(Encoding.UTF8.GetBytes(text));

    public static byte[] HmacSha256(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    /// <summary>Compares two ASCII signatures in constant time.</summary>
    public static bool SameSignature(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));

    /// <summary>Parses <paramref name="text"/> with the exact <paramref name="format"/> as UTC.</summary>
    public static bool TryParseUtc(string? text, string format, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary>A canonical request with the value of the <c>name:value</c> line of <paramref name="headerName"/> replaced, for error messages.</summary>
    public static string RedactHeaderLine(string canonicalRequest, string headerName) => string.Join(
        '\n',
        canonicalRequest.Split('\n').Select(line => line.StartsWith(headerName + ":", StringComparison.Ordinal) ? headerName + ":<redacted>" : line));

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    /// <summary>
    /// Reads the <c>Credential</c>, <c>SignedHeaders</c> and <c>Signature</c> fields that follow the algorithm name in an
    /// ACS3 or SigV4 <c>Authorization</c> header (any order, spaces after the commas tolerated); a missing field is empty.
    /// </summary>
    public static (string Credential, string SignedHeaders, string Signature) ParseAuthorizationFields(string fields)
    {
        string credential = string.Empty, signedHeaders = string.Empty, signature = string.Empty;
        foreach (string field in fields.Split(',', StringSplitOptions.TrimEntries))
        {
            int eq = field.IndexOf('=', StringComparison.Ordinal);
            string value = eq < 0 ? string.Empty : field[(eq + 1)..];
            switch (eq < 0 ? field : field[..eq])
            {
                case "Credential":
                    credential = value;
                    break;
                case "SignedHeaders":
                    signedHeaders = value;
                    break;
                case "Signature":
                    signature = value;
                    break;
            }
        }

        return (credential, signedHeaders, signature);
    }
}
