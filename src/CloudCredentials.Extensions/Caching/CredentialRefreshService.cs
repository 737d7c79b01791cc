using CloudCredentials.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudCredentials.Caching;

/// <summary>
/// Keeps every registered credential cache warm so request paths almost never wait: sleeps on the
/// <see cref="TimeProvider"/> until the earliest <see cref="CredentialCache.NextRefreshAt"/> (woken early when the
/// registry reports a change), refreshes the caches that are due, and sleeps again. No polling.
/// </summary>
/// <remarks>
/// At start it first fetches the credential of each cache whose <see cref="CredentialRefreshOptions.WarmUpOnStart"/>
/// is on; a failure there fails host start with the <see cref="CredentialUnavailableException"/>. A failed scheduled
/// refresh is logged by the cache and retried on its backoff schedule. Stopping the host cancels the service's waits;
/// a fetch under way ends at its fetch timeout or when the container disposes the cache.
/// </remarks>
internal sealed class CredentialRefreshService : BackgroundService
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromDays(1);

    private readonly CredentialCacheRegistry _registry;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="registry">The caches to keep warm.</param>
    /// <param name="timeProvider">The clock and timer source.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    public CredentialRefreshService(CredentialCacheRegistry registry, TimeProvider timeProvider, ILogger<CredentialRefreshService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _registry = registry;
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Raised each time the service goes to sleep, with the time it will wake (null: only on a change), after its timer is armed. For tests.</summary>
    internal event Action<DateTimeOffset?>? Sleeping;

    /// <summary>Warms up the caches that ask for it, then starts the refresh loop.</summary>
    /// <param name="cancellationToken">Aborts host start.</param>
    /// <returns>A task that completes when the service has started.</returns>
    /// <exception cref="CredentialUnavailableException">A warm-up failed.</exception>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _registry.ActivateRegistrations();
        CredentialCache[] warmUp = [.. _registry.Caches.Where(c => c.Options.WarmUpOnStart)];
        if (warmUp.Length > 0)
        {
            // All at once; the first failure (in registration order) fails host start.
            await Task.WhenAll(warmUp.Select(c => WarmUpAsync(c, cancellationToken))).ConfigureAwait(false);
        }

        Log.RefreshServiceStarted(_logger, _registry.Caches.Count);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new Dictionary<CredentialCache, Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                long version = _registry.Version;
                DateTimeOffset? wakeAt = null;
                try
                {
                    wakeAt = StartDueRefreshes(running, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.RefreshServiceError(_logger, ex);
                    wakeAt = _timeProvider.GetUtcNow() + TimeSpan.FromSeconds(1);
                }

                await SleepAsync(wakeAt, version, running.Count, stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // The refreshes only wait with stoppingToken, so they end at once; they never throw.
            await Task.WhenAll(running.Values).ConfigureAwait(false);
            Log.RefreshServiceStopped(_logger);
        }
    }

    private async Task WarmUpAsync(CredentialCache cache, CancellationToken cancellationToken)
    {
        Log.WarmUpStarting(_logger, cache.RegistrationName, cache.Provider.ProviderName);
        try
        {
            // This one line says why the host does not start; the cache logs the failure's details at Debug only.
            await cache.RefreshAsync(cancellationToken, failureReportedByCaller: true).ConfigureAwait(false);
        }
        catch (CredentialUnavailableException ex)
        {
            Log.WarmUpFailed(_logger, cache.RegistrationName, ex.Message);
            throw;
        }
    }

    /// <summary>Starts a refresh for every due cache that has none under way; returns the earliest future refresh time.</summary>
    private DateTimeOffset? StartDueRefreshes(Dictionary<CredentialCache, Task> running, CancellationToken stoppingToken)
    {
        foreach (CredentialCache done in running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToArray())
        {
            running.Remove(done);
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        DateTimeOffset? earliest = null;
        foreach (CredentialCache cache in _registry.Caches)
        {
            if (running.ContainsKey(cache) || cache.NextRefreshAt is not { } next)
            {
                continue;
            }

            if (next <= now)
            {
                Task refresh = RefreshAsync(cache, stoppingToken);
                running[cache] = refresh;

                // Wake the loop once the refresh has ended (and left `running` reapable), even if the cache did not change.
                _ = refresh.ContinueWith(
                    static (_, registry) => ((CredentialCacheRegistry)registry!).NotifyChanged(),
                    _registry,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
            else if (earliest is null || next < earliest)
            {
                earliest = next;
            }
        }

        return earliest;
    }

    private async Task RefreshAsync(CredentialCache cache, CancellationToken stoppingToken)
    {
        await Task.Yield(); // never run a provider's synchronous part on the loop
        try
        {
            await cache.RefreshIfDueAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception ex)
        {
            // The cache has logged and counted it and scheduled the retry.
            Log.ScheduledRefreshFailed(_logger, cache.RegistrationName, ex.Message);
        }
    }

    private async Task SleepAsync(DateTimeOffset? wakeAt, long version, int runningCount, CancellationToken stoppingToken)
    {
        TimeSpan delay = Timeout.InfiniteTimeSpan;
        if (wakeAt is { } at)
        {
            delay = at - _timeProvider.GetUtcNow();
            delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxSleep ? MaxSleep : delay;
        }

        using var wakeUp = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task timer = Task.Delay(delay, _timeProvider, wakeUp.Token);
        Task changed = _registry.WaitForChangeAsync(version, wakeUp.Token);
        Log.RefreshServiceSleeping(_logger, wakeAt, runningCount);
        Sleeping?.Invoke(wakeAt);

        // Force a yield so the loop never continues on the thread that fired the timer or signalled the change.
        await ((Task)Task.WhenAny(timer, changed)).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        await wakeUp.CancelAsync().ConfigureAwait(false);
    }
}
