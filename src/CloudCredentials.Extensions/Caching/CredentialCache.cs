using CloudCredentials.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Caching;

/// <summary>
/// The <see cref="ICredentialSource"/> behind a registration: wraps one <see cref="ICredentialProvider"/> and decides
/// when to call it.
/// </summary>
/// <remarks>
/// <para>
/// The state is an immutable <see cref="CredentialSnapshot"/> read with one volatile read. Before its refresh point
/// the hot path returns the cached instance as a completed <see cref="ValueTask{TResult}"/>: no lock, no allocation,
/// no I/O; one cheap clock read (see <see cref="CacheClock"/>) checks the snapshot's precomputed refresh deadline, so
/// the guarantee does not depend on a timer running. A timer on the <see cref="TimeProvider"/> moves the snapshot to
/// <see cref="CredentialPhase.RefreshDue"/> at the refresh point and to <see cref="CredentialPhase.Expired"/> at
/// <c>Expiration − ClockSkew</c>; a disposed cache throws <see cref="ObjectDisposedException"/>.
/// </para>
/// <para>
/// Past the refresh point callers get the current credential while at most one background refresh runs. With no
/// credential, or an expired one, every caller waits for one shared fetch (single flight) bounded by
/// <see cref="CredentialRefreshOptions.FetchTimeout"/>; a caller's token cancels only its own wait. A failed
/// refresh keeps serving the unexpired credential (stale-if-error) and is retried on a jittered exponential
/// backoff; an expired credential is never returned. A credential without expiration is static: cached until the
/// provider is replaced, with no timer.
/// </para>
/// <para>
/// Split by concern: <see cref="CredentialPhaseTimer"/> moves the phase, <see cref="RefreshOperation"/> is one shared
/// fetch, <see cref="RefreshFailures"/> keeps the failure count, backoff and error texts, and
/// <see cref="RefreshTelemetry"/> logs, meters and traces each fetch. The slow path, the single flight and the phase
/// transitions are a <see langword="partial"/> part of this type (CredentialCache.Refresh.cs), because they read and
/// write its lock-guarded state (<c>_snapshot</c>, <c>_inflight</c>, <c>_generation</c>, <c>_nextRefreshAt</c>,
/// <c>_disposed</c>), and the hot path must keep reading the snapshot with one volatile read of its own field.
/// </para>
/// </remarks>
internal sealed partial class CredentialCache : ICredentialSource, ICredentialCacheStatusReporter, IAsyncDisposable, IDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private CredentialRefreshOptions _options;
    private readonly RefreshTelemetry _telemetry;
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly CredentialPhaseTimer _phaseTimer;
    private readonly CacheClock _clock;

    // Read without the lock (hot path, background-refresh check); written under _gate.
    private volatile CredentialSnapshot? _snapshot;
    private volatile RefreshOperation? _inflight;
    private volatile ICredentialProvider _provider;

    // Guarded by _gate (_failures: its contents; IsBackingOff also reads without the lock).
    private long _generation;
    private readonly RefreshFailures _failures = new();
    private DateTimeOffset? _nextRefreshAt;
    private bool _disposed;

    /// <summary>Creates a cache. Nothing is fetched until the first call (or a warm-up).</summary>
    /// <param name="registrationName">The registration the cache serves, used in logs, metrics and health reports.</param>
    /// <param name="provider">The provider to fetch from.</param>
    /// <param name="options">The refresh settings.</param>
    /// <param name="timeProvider">The clock and timer source.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="metrics">The metrics, or <see langword="null"/> for none.</param>
    public CredentialCache(
        string registrationName,
        ICredentialProvider provider,
        CredentialRefreshOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        CloudCredentialsMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(registrationName);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        RegistrationName = registrationName;
        _options = options;
        _provider = provider;
        _timeProvider = timeProvider;
        _clock = new CacheClock(timeProvider);
        _telemetry = new RefreshTelemetry(registrationName, logger, metrics);
        _phaseTimer = new CredentialPhaseTimer(timeProvider, OnTimer);
        _telemetry.Track(this);
    }

    /// <summary>Raised (outside any lock) after <see cref="NextRefreshAt"/> may have changed.</summary>
    internal event Action<CredentialCache>? NextRefreshAtChanged;

    /// <summary>Gets the registration name.</summary>
    public string RegistrationName { get; }

    /// <summary>Gets the refresh settings (replaced, with the provider, on options reload).</summary>
    public CredentialRefreshOptions Options
    {
        get => Volatile.Read(ref _options);
        private set => Volatile.Write(ref _options, value);
    }

    /// <summary>
    /// Gets when the refresh service should next refresh this cache: the refresh point, the next retry after a
    /// failure, or now after a provider replacement; <see langword="null"/> when nothing is scheduled (a static
    /// credential, or nothing fetched yet).
    /// </summary>
    public DateTimeOffset? NextRefreshAt
    {
        get
        {
            lock (_gate)
            {
                return _nextRefreshAt;
            }
        }
    }

    /// <summary>Gets the longest the phase timer sleeps before re-reading the clock (tests).</summary>
    internal TimeSpan MaxTimerDelayInUse => _phaseTimer.MaxDelay;

    /// <summary>Gets the current provider.</summary>
    internal ICredentialProvider Provider => _provider;

    /// <summary>Gets the shared fetch under way, if any (tests await it).</summary>
    internal Task<CloudCredential>? PendingRefresh => _inflight?.Task;

    /// <summary>Gets or sets the source of backoff jitter, a number in [0, 1] (tests pin it).</summary>
    internal Func<double> Jitter
    {
        get => _failures.Jitter;
        set => _failures.Jitter = value;
    }

    /// <inheritdoc />
    public ValueTask<CloudCredential> GetCredentialAsync(CancellationToken cancellationToken = default)
    {
        // The phase says what the timer last saw; the deadline check makes "fresh" hold without the timer (a timer that
        // is late, starved or stopped, a clock that jumped). A disposed cache publishes an expired snapshot.
        CredentialSnapshot? snapshot = _snapshot;
        if (snapshot is not null && snapshot.Phase == CredentialPhase.Fresh && _clock.Now() < snapshot.FreshUntil)
        {
            return new ValueTask<CloudCredential>(snapshot.Credential);
        }

        return GetCredentialSlow(snapshot, cancellationToken);
    }

    /// <summary>Joins the shared refresh under way, or starts one now (warm-up, refresh service).</summary>
    /// <param name="cancellationToken">Cancels this wait only; the shared refresh goes on.</param>
    /// <returns>A task that completes when the refresh has produced a credential.</returns>
    /// <exception cref="CredentialUnavailableException">The refresh failed.</exception>
    public Task RefreshAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken, failureReportedByCaller: false);

    /// <summary>Joins the shared refresh under way, or starts one now.</summary>
    /// <param name="cancellationToken">Cancels this wait only; the shared refresh goes on.</param>
    /// <param name="failureReportedByCaller">
    /// The caller logs a failure itself (a warm-up at host start): a refresh started here logs its failure at Debug
    /// only, so the reason is logged once.
    /// </param>
    /// <returns>A task that completes when the refresh has produced a credential.</returns>
    /// <exception cref="CredentialUnavailableException">The refresh failed.</exception>
    internal Task RefreshAsync(CancellationToken cancellationToken, bool failureReportedByCaller)
        => RefreshCoreAsync(onlyIfDue: false, failureReportedByCaller, cancellationToken);

    /// <summary>
    /// The refresh service's refresh: joins the fetch under way, or starts one only while a refresh is still due
    /// (<see cref="NextRefreshAt"/> has come). The service decides from a schedule it read a moment earlier; a caller
    /// may have refreshed meanwhile, and a fresh credential is not fetched again.
    /// </summary>
    /// <param name="cancellationToken">Cancels this wait only; the shared refresh goes on.</param>
    /// <returns>A task that completes when the refresh has ended, at once when none was due.</returns>
    /// <exception cref="CredentialUnavailableException">The refresh failed.</exception>
    internal Task RefreshIfDueAsync(CancellationToken cancellationToken)
        => RefreshCoreAsync(onlyIfDue: true, failureReportedByCaller: false, cancellationToken);

    private Task RefreshCoreAsync(bool onlyIfDue, bool failureReportedByCaller, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        RefreshOperation operation;
        bool started;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (onlyIfDue && _inflight is null && (_nextRefreshAt is not { } due || due > _timeProvider.GetUtcNow()))
            {
                return Task.CompletedTask;
            }

            operation = JoinOrStartLocked(out started, failureReportedByCaller);
        }

        if (started)
        {
            Run(operation, inline: true);
        }

        return operation.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Switches to another provider (options reload). The current unexpired credential is served until the new
    /// provider has produced one; then it is swapped in.
    /// </summary>
    /// <param name="provider">The new provider.</param>
    public void ReplaceProvider(ICredentialProvider provider) => ReplaceProvider(provider, null);

    /// <summary>Switches to another provider and, when given, other refresh settings (options reload).</summary>
    /// <param name="provider">The new provider.</param>
    /// <param name="options">The new refresh settings; <see langword="null"/> keeps the current ones.</param>
    public void ReplaceProvider(ICredentialProvider provider, CredentialRefreshOptions? options)
    {
        ArgumentNullException.ThrowIfNull(provider);
        RefreshOperation? operation = null;
        string oldProviderName;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            oldProviderName = _provider.ProviderName;
            _provider = provider;
            if (options is not null)
            {
                Options = options;
            }

            _generation++;
            _failures.Reset();
            DateTimeOffset now = _timeProvider.GetUtcNow();
            CredentialSnapshot? snapshot = _snapshot;
            _nextRefreshAt = snapshot is null ? null : now;
            if (snapshot is not null)
            {
                EvaluateLocked(now);
                if (snapshot.IsUsableAt(now) && _inflight is null)
                {
                    operation = JoinOrStartLocked(out _);
                }

                // With a fetch from the old provider under way, its completion starts the follow-up fetch.
            }
        }

        _telemetry.ProviderReplaced(oldProviderName, provider.ProviderName);
        NextRefreshAtChanged?.Invoke(this);
        if (operation is not null)
        {
            Run(operation, inline: false);
        }
    }

    /// <summary>Stops the timer and cancels a fetch under way; waiting callers get an <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _phaseTimer.Dispose();

            // The hot path serves only a fresh snapshot: from now on every call takes the slow path, which throws.
            _snapshot = _snapshot?.WithPhase(CredentialPhase.Expired);
        }

        _telemetry.Untrack(this);
        _disposeCts.Cancel();
        _disposeCts.Dispose();
    }

    /// <inheritdoc cref="Dispose" />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
