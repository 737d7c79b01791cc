using System.Security.Cryptography;
using System.Text;
using CloudCredentials.Internal;

namespace CloudCredentials.Alibaba.Sts;

/// <summary>
/// Alibaba Cloud RPC signature V2 (HMAC-SHA1): parameters sorted ordinally, RFC 3986 percent-encoding,
/// <c>METHOD&amp;%2F&amp;encode(canonicalQuery)</c>, key = secret + <c>&amp;</c>. The only place requests are signed.
/// </summary>
internal static class RpcSigner
{
    /// <summary>Percent-encodes the way the RPC signature does (RFC 3986 unreserved kept; see <see cref="UrlEncoding.PercentEncode"/>).</summary>
    public static string PercentEncode(string value) => UrlEncoding.PercentEncode(value);

    /// <summary>Form-encodes the way the request URL is written (see <see cref="UrlEncoding.FormEncode"/>); never used for the string to sign.</summary>
    public static string FormEncode(string value) => UrlEncoding.FormEncode(value);

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
