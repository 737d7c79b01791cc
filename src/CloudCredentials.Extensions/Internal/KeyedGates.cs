using System.Collections.Concurrent;

namespace CloudCredentials.Internal;

/// <summary>One <see cref="SemaphoreSlim"/> (1, 1) per key, made on first use and kept as long as the set.</summary>
/// <remarks>
/// The users that serialise work per file or per profile for the whole process keep a static set; a test gives two
/// instances sets of their own to play two processes, which then exclude each other only by what crosses processes
/// (a lock file).
/// </remarks>
internal sealed class KeyedGates
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates;

    /// <summary>Creates an empty set whose keys compare with <paramref name="comparer"/>.</summary>
    public KeyedGates(IEqualityComparer<string> comparer) => _gates = new ConcurrentDictionary<string, SemaphoreSlim>(comparer);

    /// <summary>The gate of <paramref name="key"/>.</summary>
    public SemaphoreSlim For(string key) => _gates.GetOrAdd(key, static _ => new SemaphoreSlim(1, 1));
}
