using System.Security.Cryptography;
using System.Text;

namespace CloudCredentials.Signing;

/// <summary>
/// Caches the SigV4 signing key kSigning of one (day, secret) for a signer's region and service (SIGNING.md §2.3):
/// four HMACs saved per request. The secret itself is not kept: the entry holds an HMAC of it under a random
/// per-process key (a fingerprint that cannot be reversed or printed) next to the derived key.
/// </summary>
internal sealed class DerivedKeyCache(string region, string service)
{
    private static readonly byte[] FingerprintKey = RandomNumberGenerator.GetBytes(32);

    private Entry? _entry;

    /// <summary>One reusable fingerprint HMAC (taken and put back atomically; a concurrent caller creates its own).</summary>
    private static IncrementalHash? s_fingerprinter;

    /// <summary>
    /// Writes HMAC-SHA256(kSigning, UTF-8 <paramref name="stringToSign"/>) into 32 bytes, kSigning being the key of
    /// <paramref name="secret"/> and <paramref name="date8"/> (<c>yyyyMMdd</c>), derived once per (day, secret).
    /// </summary>
    public void Sign(string secret, ReadOnlySpan<char> date8, ReadOnlySpan<char> stringToSign, Span<byte> mac)
    {
        Span<byte> fingerprint = stackalloc byte[32];
        Rented(ref s_fingerprinter, FingerprintKey, secret, fingerprint);
        Entry? entry = Volatile.Read(ref _entry);
        if (entry is null || !date8.SequenceEqual(entry.Date8) || !fingerprint.SequenceEqual(entry.Fingerprint))
        {
            Span<byte> key = stackalloc byte[32];
            Derive(secret, date8, key);
            entry = new Entry(date8.ToString(), fingerprint.ToArray(), key.ToArray());
            CryptographicOperations.ZeroMemory(key);
            Volatile.Write(ref _entry, entry);
        }

        Rented(ref entry.Mac, entry.Key, stringToSign, mac);
    }

    /// <summary>
    /// HMACs <paramref name="text"/> with the HMAC kept in <paramref name="slot"/> (keyed with <paramref name="key"/>):
    /// reusing it saves creating a native context per call, which costs about as much as the HMAC itself.
    /// </summary>
    private static void Rented(ref IncrementalHash? slot, byte[] key, ReadOnlySpan<char> text, Span<byte> mac)
    {
        IncrementalHash hmac = Interlocked.Exchange(ref slot, null) ?? IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        SigningText.AppendUtf8(hmac, text);
        hmac.GetHashAndReset(mac);
        if (Interlocked.CompareExchange(ref slot, hmac, null) is not null)
        {
            hmac.Dispose();
        }
    }

    private void Derive(string secret, ReadOnlySpan<char> date8, Span<byte> signingKey)
    {
        int max = Encoding.UTF8.GetMaxByteCount(secret.Length) + 4;
        byte[] kSecret = new byte[max];
        try
        {
            "AWS4"u8.CopyTo(kSecret);
            int length = 4 + Encoding.UTF8.GetBytes(secret, kSecret.AsSpan(4));
            Span<byte> kDate = stackalloc byte[32];
            Span<byte> kRegion = stackalloc byte[32];
            SigningText.HmacSha256(kSecret.AsSpan(0, length), date8, kDate);
            SigningText.HmacSha256(kDate, region, kRegion);
            SigningText.HmacSha256(kRegion, service, kDate); // kService
            SigningText.HmacSha256(kDate, "aws4_request", signingKey);
            CryptographicOperations.ZeroMemory(kDate);
            CryptographicOperations.ZeroMemory(kRegion);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kSecret);
        }
    }

    /// <summary>One cached key; deliberately without a ToString that could print it.</summary>
    private sealed class Entry(string date8, byte[] fingerprint, byte[] key)
    {
        public string Date8 { get; } = date8;

        public byte[] Fingerprint { get; } = fingerprint;

        public byte[] Key { get; } = key;

        /// <summary>The reusable HMAC keyed with <see cref="Key"/> (a slot, see <see cref="Rented"/>).</summary>
        public IncrementalHash? Mac;
    }
}
