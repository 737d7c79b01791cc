namespace CloudCredentials.Tests.Caching;

/// <summary>
/// An in-process provider: each call returns a new STS credential (numbered, with recognisable fake secrets) that
/// expires <see cref="Lifetime"/> after the fetch completes, or fails, or waits on a gate the test opens.
/// </summary>
internal sealed class FakeCredentialProvider(TimeProvider time, string name = "fake") : ICredentialProvider
{
    private readonly object _gate = new();
    private readonly List<DateTimeOffset> _callTimes = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _calls;

    public string ProviderName { get; } = name;

    /// <summary>The lifetime of each credential; null produces a static credential.</summary>
    public TimeSpan? Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The provider's refresh hint placed on each credential.</summary>
    public TimeSpan? RefreshBefore { get; set; }

    /// <summary>When set, every call throws what this returns.</summary>
    public Func<Exception>? Failure { get; set; }

    /// <summary>When set, calls wait for it before answering.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Whether a call waiting on <see cref="Gate"/> gives up when its token is cancelled.</summary>
    public bool HonorCancellation { get; set; } = true;

    /// <summary>When set, replaces the produced credential (called with the call number).</summary>
    public Func<int, CloudCredential>? Factory { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public CancellationToken LastToken { get; private set; }

    public IReadOnlyList<DateTimeOffset> CallTimes
    {
        get
        {
            lock (_gate)
            {
                return [.. _callTimes];
            }
        }
    }

    public static string SecretOf(int n) => $"SecretValue-{n}-9f8e7d";

    public static string TokenOf(int n) => $"TokenValue-{n}-CAIS";

    public static string KeyIdOf(int n) => $"STS.KEYID{n:D4}ABCDEFG";

    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        int n = Interlocked.Increment(ref _calls);
        LastToken = cancellationToken;
        lock (_gate)
        {
            _callTimes.Add(time.GetUtcNow());
            foreach ((int count, TaskCompletionSource signal) in _waiters.Where(w => w.Count <= n).ToArray())
            {
                signal.TrySetResult();
                _waiters.Remove((count, signal));
            }
        }

        if (Gate is { } gate)
        {
            await (HonorCancellation ? gate.Task.WaitAsync(cancellationToken) : gate.Task);
        }

        if (Failure is { } failure)
        {
            throw failure();
        }

        return Factory?.Invoke(n) ?? new CloudCredential(CredentialTypes.Sts, ProviderName)
        {
            AccessKeyId = KeyIdOf(n),
            AccessKeySecret = SecretOf(n),
            SecurityToken = TokenOf(n),
            Expiration = Lifetime is { } lifetime ? time.GetUtcNow() + lifetime : null,
            RefreshBefore = RefreshBefore,
        };
    }

    /// <summary>Completes once the provider has been called <paramref name="count"/> times in total.</summary>
    public Task WaitForCallsAsync(int count)
    {
        lock (_gate)
        {
            if (_calls >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
