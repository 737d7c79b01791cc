namespace CloudCredentials.Caching;

/// <summary>
/// One shared fetch (single flight): the provider it calls, its token (bounded by the fetch timeout, cancelled when
/// the cache is disposed, never by a waiting caller), the call itself and the task every caller waits on.
/// </summary>
internal sealed class RefreshOperation
{
    private readonly CancellationTokenSource? _timeout;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _disposing;
    private readonly TaskCompletionSource<CloudCredential> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the operation and starts its timeout clock.</summary>
    /// <param name="provider">The provider to call.</param>
    /// <param name="generation">The provider generation.</param>
    /// <param name="fetchTimeout">The longest the fetch may take; zero, negative or infinite means no limit.</param>
    /// <param name="timeProvider">The clock the timeout runs on.</param>
    /// <param name="disposing">Cancelled when the cache is disposed.</param>
    public RefreshOperation(ICredentialProvider provider, long generation, TimeSpan fetchTimeout, TimeProvider timeProvider, CancellationToken disposing)
    {
        Provider = provider;
        Generation = generation;
        FetchTimeout = fetchTimeout;
        _disposing = disposing;
        if (fetchTimeout > TimeSpan.Zero && fetchTimeout <= TimeSpan.FromDays(30))
        {
            _timeout = new CancellationTokenSource(fetchTimeout, timeProvider);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token, disposing);
        }
        else
        {
            _linked = CancellationTokenSource.CreateLinkedTokenSource(disposing);
        }

        // Background refreshes have no waiter: observe a failure so it never surfaces as an unobserved task exception.
        _completion.Task.ContinueWith(
            static t => _ = t.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Gets the provider this operation calls.</summary>
    public ICredentialProvider Provider { get; }

    /// <summary>Gets the provider generation.</summary>
    public long Generation { get; }

    /// <summary>
    /// Gets whether the caller that started this fetch logs its failure itself (a warm-up at host start), so the cache
    /// logs it at Debug only.
    /// </summary>
    public bool FailureReportedByCaller { get; init; }

    /// <summary>Gets the fetch timeout.</summary>
    public TimeSpan FetchTimeout { get; }

    /// <summary>Gets the token passed to the provider.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Gets whether the fetch timeout elapsed.</summary>
    public bool TimedOut => _timeout?.IsCancellationRequested == true;

    /// <summary>Gets the task every waiting caller awaits.</summary>
    public Task<CloudCredential> Task => _completion.Task;

    /// <summary>
    /// Calls the provider once with <see cref="Token"/>, on a pool thread, and waits at most until that token is
    /// cancelled, even for a provider that ignores it or blocks synchronously; then releases the tokens (for an abandoned call, once it ends). Never throws.
    /// </summary>
    /// <returns>The credential, or the failure callers get (see <see cref="RefreshFailures.Classify"/>).</returns>
    public async Task<(CloudCredential? Credential, Exception? Error)> FetchAsync()
    {
        Task<CloudCredential>? fetch = null;
        try
        {
            // On a pool thread: a provider that blocks before its first await (a synchronous read, a lock) must hold
            // neither the caller that started the fetch nor the bound below, which only starts once the call returns.
            fetch = System.Threading.Tasks.Task.Run(CallProvider);

            // WaitAsync bounds the wait even for a provider that ignores its token.
            CloudCredential? credential = await fetch.WaitAsync(Token).ConfigureAwait(false);
            return credential is null ? (null, RefreshFailures.NoCredential(Provider.ProviderName)) : (credential, null);
        }
        catch (Exception ex)
        {
            return (null, RefreshFailures.Classify(this, ex, _disposing.IsCancellationRequested));
        }
        finally
        {
            if (fetch is { IsCompleted: false })
            {
                // Abandoned (timeout or disposal): observe its outcome and release the tokens once it ends.
                _ = fetch.ContinueWith(
                    static (t, s) =>
                    {
                        _ = t.Exception;
                        ((RefreshOperation)s!).ReleaseTokens();
                    },
                    this,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
            else
            {
                ReleaseTokens();
            }
        }
    }

    private Task<CloudCredential> CallProvider() => Provider.FetchAsync(Token).AsTask();

    /// <summary>Completes the operation.</summary>
    /// <param name="credential">The credential, when <paramref name="error"/> is null.</param>
    /// <param name="error">The failure, or <see langword="null"/>.</param>
    public void Complete(CloudCredential? credential, Exception? error)
    {
        if (error is null)
        {
            _completion.TrySetResult(credential!);
        }
        else
        {
            _completion.TrySetException(error);
        }
    }

    /// <summary>Releases the timeout timer and the token registrations, once the provider's fetch has ended.</summary>
    private void ReleaseTokens()
    {
        _linked.Dispose();
        _timeout?.Dispose();
    }
}
