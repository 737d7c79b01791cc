using System.Security.Cryptography;
using System.Text;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// The emulator's own check of the Alibaba Cloud RPC signature V2 (HMAC-SHA1), written from the protocol description
/// (ALIBABA_CREDENTIALS.md §3.4, vectors in §3.5) and sharing no code with the library's signer, so that a signing bug
/// in the library shows up as <c>SignatureDoesNotMatch</c> here.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Every parameter sent (query and form body) except <c>Signature</c>.</item>
/// <item>Sorted by name in ordinal order (equal names, which no client sends, by value so the order is well defined).</item>
/// <item>Name and value percent-encoded as UTF-8, only <c>A-Z a-z 0-9 - _ . ~</c> left as they are, upper-case hex.</item>
/// <item>Joined as <c>name=value</c> pairs with <c>&amp;</c>: the canonicalized query.</item>
/// <item>String to sign: <c>METHOD&amp;%2F&amp;</c> + the percent-encoded canonicalized query, with the real HTTP method.</item>
/// <item>Signature: Base64 of HMAC-SHA1 over the UTF-8 string to sign, keyed with the UTF-8 of secret + <c>&amp;</c>.</item>
/// </list>
/// </remarks>
internal static class RpcSignatureVerifier
{
    private const string SignatureParameter = "Signature";

    /// <summary>
    /// Computes the signature <paramref name="parameters"/> should carry when sent with <paramref name="httpMethod"/> and
    /// compares it with <paramref name="presented"/> in constant time.
    /// </summary>
    /// <param name="httpMethod">The method the request arrived with (<c>GET</c> or <c>POST</c>).</param>
    /// <param name="parameters">Query and form parameters, <c>Signature</c> included or not (it is skipped).</param>
    /// <param name="accessKeySecret">The secret of the request's AccessKeyId, without the trailing <c>&amp;</c>.</param>
    /// <param name="presented">The <c>Signature</c> the request carries.</param>
    /// <param name="stringToSign">The server's string to sign, which STS quotes in <c>SignatureDoesNotMatch</c>.</param>
    /// <returns><see langword="true"/> when the presented signature is the expected one.</returns>
    public static bool Verify(
        string httpMethod,
        IEnumerable<KeyValuePair<string, string>> parameters,
        string accessKeySecret,
        string presented,
        out string stringToSign)
    {
        ArgumentNullException.ThrowIfNull(presented);
        stringToSign = StringToSign(httpMethod, parameters);
        string expected = Sign(stringToSign, accessKeySecret);
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
    }

    /// <summary>Builds <c>METHOD&amp;%2F&amp;percentEncode(canonicalizedQuery)</c> over every parameter but <c>Signature</c>.</summary>
    public static string StringToSign(string httpMethod, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(httpMethod);
        ArgumentNullException.ThrowIfNull(parameters);

        KeyValuePair<string, string>[] signed = parameters
            .Where(static p => !string.Equals(p.Key, SignatureParameter, StringComparison.Ordinal))
            .OrderBy(static p => p.Key, StringComparer.Ordinal)
            .ThenBy(static p => p.Value, StringComparer.Ordinal)
            .ToArray();

        string canonicalized = string.Join('&', signed.Select(static p => Encode(p.Key) + "=" + Encode(p.Value ?? string.Empty)));
        return httpMethod + "&" + Encode("/") + "&" + Encode(canonicalized);
    }

    /// <summary>The signature of <paramref name="stringToSign"/>: <see cref="HmacSha1"/> keyed with <paramref name="accessKeySecret"/> + <c>&amp;</c>.</summary>
    public static string Sign(string stringToSign, string accessKeySecret)
    {
        ArgumentNullException.ThrowIfNull(accessKeySecret);
        return HmacSha1(stringToSign, accessKeySecret + "&");
    }

    /// <summary>Base64 HMAC-SHA1 of the UTF-8 <paramref name="data"/> with the UTF-8 <paramref name="key"/> exactly as given.</summary>
    public static string HmacSha1(string data, string key)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data)));
    }

    /// <summary>RFC 3986 percent-encoding of the UTF-8 bytes: <c>A-Z a-z 0-9 - _ . ~</c> kept, all else <c>%XX</c> (so space is <c>%20</c>, <c>*</c> is <c>%2A</c>).</summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Signing.SigningText.Encode(value);
    }
}
