using System.Security.Cryptography;
using System.Text;

namespace CloudCredentials.Alibaba.Sts;

/// <summary>
/// Alibaba Cloud RPC signature V2 (HMAC-SHA1): parameters sorted ordinally, RFC 3986 percent-encoding,
/// <c>METHOD&amp;%2F&amp;encode(canonicalQuery)</c>, key = secret + <c>&amp;</c>. The only place requests are signed.
/// </summary>
internal static class RpcSigner
{
    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

    /// <summary>Percent-encodes UTF-8 bytes, leaving only <c>A-Z a-z 0-9 - _ . ~</c>; upper-case hex, space as <c>%20</c>.</summary>
    public static string PercentEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            char c = (char)b;
            if (b < 0x80 && Unreserved.Contains(c, StringComparison.Ordinal))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(((int)b).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Form-encodes UTF-8 bytes the way <c>application/x-www-form-urlencoded</c> (Java <c>URLEncoder</c>) does:
    /// <c>A-Z a-z 0-9 . - * _</c> kept, space as <c>+</c>, everything else <c>%XX</c> upper-case. Used for the URL only,
    /// never for the string to sign.
    /// </summary>
    public static string FormEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            char c = (char)b;
            if (b == (byte)' ')
            {
                sb.Append('+');
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or '_')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(((int)b).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>Builds the canonicalized query string: every parameter except <c>Signature</c>, ordinally sorted, encoded, joined by <c>&amp;</c>.</summary>
    public static string CanonicalizedQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var sorted = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, string> p in parameters)
        {
            if (!string.Equals(p.Key, "Signature", StringComparison.Ordinal))
            {
                sorted.Add(p);
            }
        }

        sorted.Sort(static (a, b) =>
        {
            int byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });

        var sb = new StringBuilder();
        foreach (KeyValuePair<string, string> p in sorted)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(PercentEncode(p.Key)).Append('=').Append(PercentEncode(p.Value ?? string.Empty));
        }

        return sb.ToString();
    }

    /// <summary>Builds <c>METHOD&amp;%2F&amp;percentEncode(canonicalizedQuery)</c>.</summary>
    public static string StringToSign(string httpMethod, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(httpMethod);
        return httpMethod + "&" + PercentEncode("/") + "&" + PercentEncode(CanonicalizedQuery(parameters));
    }

    /// <summary>Base64 HMAC-SHA1 of <paramref name="data"/> with <paramref name="key"/> as UTF-8 (callers append <c>&amp;</c> to the secret).</summary>
    public static string HmacSha1(string data, string key)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(key);
        byte[] mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data));
        return Convert.ToBase64String(mac);
    }

    /// <summary>Computes the signature of a request sent with <paramref name="httpMethod"/> over the union of its query and body parameters.</summary>
    public static string Sign(string httpMethod, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret)
    {
        ArgumentNullException.ThrowIfNull(accessKeySecret);
        return HmacSha1(StringToSign(httpMethod, parameters), accessKeySecret + "&");
    }
}
