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

    /// <summary>Writes kSigning for <paramref name="secret"/> and <paramref name="date8"/> (<c>yyyyMMdd</c>) into 32 bytes.</summary>
    public void GetSigningKey(string secret, ReadOnlySpan<char> date8, Span<byte> signingKey)
    {
        Span<byte> fingerprint = stackalloc byte[32];
        SigningText.HmacSha256(FingerprintKey, secret, fingerprint);
        Entry? entry = Volatile.Read(ref _entry);
        if (entry is not null && date8.SequenceEqual(entry.Date8) && fingerprint.SequenceEqual(entry.Fingerprint))
        {
            entry.Key.CopyTo(signingKey);
            return;
        }

        Derive(secret, date8, signingKey);
        Volatile.Write(ref _entry, new Entry(date8.ToString(), fingerprint.ToArray(), signingKey.ToArray()));
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
    }
}
