using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CloudCredentials.Emulator.Internal;

/// <summary>IMDSv2 session tokens and their expiry, on the emulator's clock.</summary>
internal sealed class MetadataTokenStore(TimeProvider timeProvider)
{
    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const int PruneThreshold = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiry = new(StringComparer.Ordinal);

    public string Issue(TimeSpan ttl)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        if (_expiry.Count >= PruneThreshold)
        {
            foreach (KeyValuePair<string, DateTimeOffset> pair in _expiry)
            {
                if (pair.Value <= now)
                {
                    _expiry.TryRemove(pair);
                }
            }
        }

        string token = "AQAEA" + RandomNumberGenerator.GetString(TokenAlphabet, 51);
        _expiry[token] = now + ttl;
        return token;
    }

    /// <summary>True when <paramref name="token"/> was issued and its TTL has not run out.</summary>
    public bool IsValid(string token) =>
        _expiry.TryGetValue(token, out DateTimeOffset expiresAt) && timeProvider.GetUtcNow() < expiresAt;
}
