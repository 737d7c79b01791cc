using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace CloudCredentials.Signing;

/// <summary>
/// The primitives both signature algorithms share: SHA-256 and HMAC-SHA256 over UTF-8 text without intermediate strings,
/// lower-case hex, and RFC 3986 percent-encoding (unreserved <c>A-Z a-z 0-9 - _ . ~</c> kept, upper-case hex).
/// </summary>
internal static class SigningText
{
    /// <summary>The hex SHA-256 of an empty payload.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const int StackLimit = 512;

    /// <summary>A SHA-256 per thread: reusing it saves creating a native digest context per hash.</summary>
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static IncrementalHash Sha256 => t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Appends the UTF-8 bytes of <paramref name="text"/> to <paramref name="hash"/>.</summary>
    public static void AppendUtf8(IncrementalHash hash, scoped ReadOnlySpan<char> text)
    {
        byte[]? rented = null;
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> bytes = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int count = Encoding.UTF8.GetBytes(text, bytes);
            hash.AppendData(bytes[..count]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Returns the lower-case hex SHA-256 of <paramref name="data"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return EmptyPayloadHash;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Sha256.AppendData(data);
        Sha256.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Writes the lower-case hex SHA-256 of the UTF-8 bytes of <paramref name="text"/> into 64 characters.</summary>
    public static void Sha256Hex(scoped ReadOnlySpan<char> text, Span<char> hex)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        AppendUtf8(Sha256, text);
        Sha256.GetHashAndReset(hash);
        WriteHex(hash, hex);
    }

    /// <summary>Writes HMAC-SHA256(<paramref name="key"/>, UTF-8 <paramref name="text"/>) into 32 bytes.</summary>
    public static void HmacSha256(scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<char> text, Span<byte> mac)
    {
        byte[]? rented = null;
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> bytes = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int count = Encoding.UTF8.GetBytes(text, bytes);
            HMACSHA256.HashData(key, bytes[..count], mac);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes HMAC-SHA256(UTF-8 <paramref name="key"/>, UTF-8 <paramref name="text"/>) into 32 bytes; the key bytes are zeroed after use.</summary>
    public static void HmacSha256Key(string key, scoped ReadOnlySpan<char> text, Span<byte> mac)
    {
        int max = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = max <= 256 ? null : ArrayPool<byte>.Shared.Rent(max);
        Span<byte> bytes = rented ?? stackalloc byte[256];
        int count = Encoding.UTF8.GetBytes(key, bytes);
        try
        {
            HmacSha256(bytes[..count], text, mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes[..count]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes <paramref name="bytes"/> as lower-case hex (two characters per byte).</summary>
    public static void WriteHex(scoped ReadOnlySpan<byte> bytes, Span<char> hex)
    {
        if (!Convert.TryToHexStringLower(bytes, hex, out _))
        {
            throw new ArgumentException("The hex buffer is too small.", nameof(hex));
        }
    }

    /// <summary>RFC 3986-encodes <paramref name="value"/> (UTF-8), keeping <c>/</c> when <paramref name="keepSlash"/> is set.</summary>
    public static void Encode(ref TextBuffer target, scoped ReadOnlySpan<char> value, bool keepSlash)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (Rune rune in value.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                AppendByte(ref target, (byte)rune.Value, keepSlash);
                continue;
            }

            int count = rune.EncodeToUtf8(utf8);
            for (int i = 0; i < count; i++)
            {
                AppendEscaped(ref target, utf8[i]);
            }
        }
    }

    /// <summary>
    /// Re-encodes a component that is already percent-encoded on the wire: each valid <c>%XY</c> is decoded to its byte,
    /// every other character taken as UTF-8, and the bytes written RFC 3986-encoded (so the result does not depend on
    /// how loosely the wire form was escaped). <c>+</c> is a literal plus, never a space.
    /// </summary>
    public static void Reencode(ref TextBuffer target, scoped ReadOnlySpan<char> wire, bool keepSlash)
    {
        Span<byte> utf8 = stackalloc byte[4];
        int i = 0;
        while (i < wire.Length)
        {
            char c = wire[i];
            if (c == '%' && i + 2 < wire.Length && char.IsAsciiHexDigit(wire[i + 1]) && char.IsAsciiHexDigit(wire[i + 2]))
            {
                // A decoded byte is data: an escaped slash (%2F) stays escaped even where a literal '/' is kept.
                AppendByte(ref target, (byte)((HexValue(wire[i + 1]) << 4) | HexValue(wire[i + 2])), keepSlash: false);
                i += 3;
                continue;
            }

            if (char.IsAscii(c))
            {
                AppendByte(ref target, (byte)c, keepSlash);
                i++;
                continue;
            }

            Rune.DecodeFromUtf16(wire[i..], out Rune rune, out int consumed);
            int count = rune.EncodeToUtf8(utf8);
            for (int k = 0; k < count; k++)
            {
                AppendEscaped(ref target, utf8[k]);
            }

            i += consumed;
        }
    }

    private static void AppendByte(ref TextBuffer target, byte b, bool keepSlash)
    {
        char c = (char)b;
        if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
        {
            target.Append(c);
        }
        else
        {
            AppendEscaped(ref target, b);
        }
    }

    private static void AppendEscaped(ref TextBuffer target, byte b)
    {
        Span<char> escaped = target.AppendSpan(3);
        escaped[0] = '%';
        escaped[1] = "0123456789ABCDEF"[b >> 4];
        escaped[2] = "0123456789ABCDEF"[b & 0xF];
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
