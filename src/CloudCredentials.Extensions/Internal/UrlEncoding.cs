using System.Globalization;
using System.Text;

namespace CloudCredentials.Internal;

/// <summary>
/// The two URL encodings the library writes (and so must recognise when it redacts a secret): RFC 3986 percent-encoding
/// (the RPC signature's) and <c>application/x-www-form-urlencoded</c> (request URLs and bodies).
/// </summary>
internal static class UrlEncoding
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
                sb.Append('%').Append(((int)b).ToString("X2", CultureInfo.InvariantCulture));
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
                sb.Append('%').Append(((int)b).ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
