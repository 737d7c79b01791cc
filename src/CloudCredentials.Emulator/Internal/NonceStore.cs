using System.Collections.Concurrent;

namespace CloudCredentials.Emulator.Internal;

/// <summary>Remembers the <c>SignatureNonce</c> values of accepted signed requests, as STS does, for a replay window.</summary>
internal sealed class NonceStore(TimeProvider timeProvider)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);
    private long _adds;

    /// <summary>Records <paramref name="nonce"/>; false when it was already used within the window.</summary>
    public bool TryUse(string nonce)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        if (Interlocked.Increment(ref _adds) % 1024 == 0)
        {
            foreach (KeyValuePair<string, DateTimeOffset> pair in _used)
            {
                if (pair.Value + Window <= now)
                {
                    _used.TryRemove(pair);
                }
            }
        }

        while (true)
        {
            if (_used.TryAdd(nonce, now))
            {
                return true;
            }

            if (!_used.TryGetValue(nonce, out DateTimeOffset usedAt))
            {
                continue;
            }

            if (usedAt + Window > now)
            {
                return false;
            }

            if (_used.TryUpdate(nonce, now, usedAt))
            {
                return true;
            }
        }
    }
}
