using BenchmarkDotNet.Attributes;
using CloudCredentials.Caching;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudCredentials.Benchmarks;

/// <summary>
/// The hot path: a warm cache, called through <see cref="ICredentialSource"/> as applications do: one volatile read and
/// one <see cref="Environment.TickCount64"/> deadline check. Target: ≤ 20 ns, 0 B (most of it the clock read).
/// </summary>
public class CachedGetBenchmarks
{
    private CredentialCache _cache = null!;
    private ICredentialSource _source = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cache = new CredentialCache("benchmark", new BenchmarkProvider(), new CredentialRefreshOptions(), TimeProvider.System, NullLogger.Instance);
        _source = _cache;
        _cache.RefreshAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _cache.Dispose();

    [Benchmark(Description = "GetCredentialAsync (cached)")]
    public CloudCredential CachedGet()
    {
        ValueTask<CloudCredential> call = _source.GetCredentialAsync();
        return call.IsCompletedSuccessfully ? call.Result : call.AsTask().GetAwaiter().GetResult();
    }
}
