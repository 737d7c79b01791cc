using BenchmarkDotNet.Attributes;
using CloudCredentials.Caching;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudCredentials.Benchmarks;

/// <summary>
/// The hot path under contention: 64 dedicated threads each call the same warm cache <see cref="CallsPerThread"/>
/// times per invocation. Reported per call (wall time / total calls), so on N cores the ideal is the
/// single-thread time divided by N.
/// </summary>
public class ContendedGetBenchmarks
{
    public const int Threads = 64;
    public const int CallsPerThread = 20_000;

    private CredentialCache _cache = null!;
    private ICredentialSource _source = null!;
    private Barrier _barrier = null!;
    private Thread[] _threads = [];
    private volatile bool _stop;
    private int _mismatches;

    [GlobalSetup]
    public void Setup()
    {
        _cache = new CredentialCache("benchmark", new BenchmarkProvider(), new CredentialRefreshOptions(), TimeProvider.System, NullLogger.Instance);
        _source = _cache;
        _cache.RefreshAsync(CancellationToken.None).GetAwaiter().GetResult();
        _barrier = new Barrier(Threads + 1);
        _threads = [.. Enumerable.Range(0, Threads).Select(i => new Thread(Work) { IsBackground = true, Name = $"contended-{i}" })];
        foreach (Thread thread in _threads)
        {
            thread.Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _barrier.SignalAndWait();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _barrier.Dispose();
        _cache.Dispose();
        if (_mismatches != 0)
        {
            throw new InvalidOperationException("The contended benchmark saw a call that did not complete synchronously.");
        }
    }

    [Benchmark(Description = "GetCredentialAsync (cached, 64 threads)", OperationsPerInvoke = Threads * CallsPerThread)]
    public void ContendedGet()
    {
        _barrier.SignalAndWait(); // start
        _barrier.SignalAndWait(); // all done
    }

    private void Work()
    {
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stop)
            {
                return;
            }

            for (int i = 0; i < CallsPerThread; i++)
            {
                if (!_source.GetCredentialAsync().IsCompletedSuccessfully)
                {
                    Interlocked.Increment(ref _mismatches);
                }
            }

            _barrier.SignalAndWait();
        }
    }
}
