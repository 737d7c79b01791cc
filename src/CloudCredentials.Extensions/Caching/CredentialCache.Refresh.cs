using System.Diagnostics;

namespace CloudCredentials.Caching;

// The refresh machinery of CredentialCache: the slow path of GetCredentialAsync, the single flight (joining or starting
// the shared fetch, running it, applying its outcome) and the phase transitions of the snapshot. A partial part, not a
// type of its own, because every member here reads and writes the cache's lock-guarded state (see the type's remarks).
// The type's XML documentation is on the declaration in CredentialCache.cs.
internal sealed partial class CredentialCache
{
    private ValueTask<CloudCredential> GetCredentialSlow(CredentialSnapshot? snapshot, CancellationToken cancellationToken)
    {
        // RefreshDue, or Fresh past its refresh deadline with the timer late. Both clocks are read: the monotonic
        // deadline holds when the wall clock steps back, the wall clock covers a suspended machine (the monotonic clock
        // stood still); this runs only between the refresh point and the end of the background refresh.
        if (snapshot is not null && snapshot.Phase != CredentialPhase.Expired)
        {
            DateTimeOffset now = _timeProvider.GetUtcNow();
            if (snapshot.IsUsableAt(now) && _clock.Now() < snapshot.UsableUntil)
            {
                EnsureBackgroundRefresh(now);
                return new ValueTask<CloudCredential>(snapshot.Credential);
            }
        }

        return WaitForCredentialAsync(cancellationToken);
    }

    private async ValueTask<CloudCredential> WaitForCredentialAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RefreshOperation? operation = null;
        bool started = false;
        CredentialSnapshot? usable;
        DateTimeOffset now;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            now = _timeProvider.GetUtcNow();
            EvaluateLocked(now);
            usable = _snapshot is { Phase: not CredentialPhase.Expired } current ? current : null;
            if (usable is null)
            {
                if (_inflight is null && _failures.BackingOffAfterUpstreamError(now, _provider) is { } backingOff)
                {
                    throw backingOff;
                }

                operation = JoinOrStartLocked(out started);
            }
        }

        if (usable is not null)
        {
            // Another caller's refresh completed in the meantime (or the expiry timer has not fired yet).
            if (usable.Phase == CredentialPhase.RefreshDue)
            {
                EnsureBackgroundRefresh(now);
            }

            return usable.Credential;
        }

        if (started)
        {
            Run(operation!, inline: true);
        }

        return await operation!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void EnsureBackgroundRefresh(DateTimeOffset now)
    {
        if (_inflight is not null)
        {
            return;
        }

        if (_failures.IsBackingOff(now))
        {
            return;
        }

        RefreshOperation operation;
        lock (_gate)
        {
            if (_disposed || _inflight is not null || _failures.IsBackingOff(now))
            {
                return;
            }

            operation = JoinOrStartLocked(out _);
        }

        _telemetry.BackgroundRefreshStarted(operation.Provider.ProviderName);
        Run(operation, inline: false);
    }

    private RefreshOperation JoinOrStartLocked(out bool started, bool failureReportedByCaller = false)
    {
        if (_inflight is { } running)
        {
            started = false;
            return running;
        }

        var operation = new RefreshOperation(_provider, _generation, Options.FetchTimeout, _timeProvider, _disposeCts.Token)
        {
            FailureReportedByCaller = failureReportedByCaller,
        };
        _inflight = operation;
        started = true;
        return operation;
    }

    private void Run(RefreshOperation operation, bool inline)
    {
        if (inline)
        {
            _ = RunAsync(operation);
        }
        else
        {
            // Never on the caller's thread (a request must not pay for a background fetch) and without its context.
            ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Cache.RunAsync(s.Operation), (Cache: this, Operation: operation), preferLocal: false);
        }
    }

    /// <summary>Runs one fetch to the end; never throws (the outcome goes to <see cref="RefreshOperation.Task"/>).</summary>
    private async Task RunAsync(RefreshOperation operation)
    {
        long started = _timeProvider.GetTimestamp();
        using Activity? activity = _telemetry.StartFetch(operation.Provider.ProviderName);
        (CloudCredential? credential, Exception? error) = await operation.FetchAsync().ConfigureAwait(false);
        try
        {
            Complete(operation, credential, error, _timeProvider.GetElapsedTime(started), activity);
        }
        catch (Exception ex)
        {
            // Never leave waiters on an operation that will not complete.
            lock (_gate)
            {
                if (ReferenceEquals(_inflight, operation))
                {
                    _inflight = null;
                }
            }

            operation.Complete(null, RefreshFailures.CompletionFailed(operation.Provider.ProviderName, ex));
        }
    }

    private void Complete(RefreshOperation operation, CloudCredential? credential, Exception? error, TimeSpan elapsed, Activity? activity)
    {
        RefreshOperation? followUp = null;
        CredentialSnapshot? snapshot;
        CloudCredential? extended = null;
        int previousFailures = 0;
        int failures = 0;
        DateTimeOffset nextAttempt = default;
        bool disposed;
        lock (_gate)
        {
            if (ReferenceEquals(_inflight, operation))
            {
                _inflight = null;
            }

            disposed = _disposed;
            DateTimeOffset now = _timeProvider.GetUtcNow();
            if (disposed)
            {
                error ??= new ObjectDisposedException(nameof(CredentialCache));
            }
            else
            {
                bool answeredExpired = false;
                if (error is null)
                {
                    error = RefreshFailures.RejectIfExpired(credential!, now, Options.ClockSkew);
                    answeredExpired = error is not null;
                }

                if (error is null)
                {
                    previousFailures = _failures.ConsecutiveFailures;
                    AcceptLocked(credential!, operation.Generation, now);
                }
                else if (operation.Generation != _generation)
                {
                    // A replaced provider's failure says nothing about the new one: no backoff inherited.
                    EvaluateLocked(now);
                }
                else
                {
                    nextAttempt = _failures.Record(error, now, Options, answeredExpired);
                    failures = _failures.ConsecutiveFailures;
                    extended = ExtendLocked(answeredExpired ? credential : null, now, ref nextAttempt);
                    if (extended is null)
                    {
                        EvaluateLocked(now);
                    }

                    _nextRefreshAt = _snapshot is null ? null : nextAttempt;
                }

                // The provider was replaced while this fetch ran: fetch from the new one now, serving meanwhile.
                if (operation.Generation != _generation && _inflight is null && _snapshot is { } current && current.IsUsableAt(now))
                {
                    followUp = JoinOrStartLocked(out _);
                }
            }

            snapshot = _snapshot;
        }

        string providerName = operation.Provider.ProviderName;
        RefreshTelemetry.TagOutcome(activity, credential, error);
        if (!disposed)
        {
            if (error is null)
            {
                _telemetry.Succeeded(providerName, elapsed, credential!, snapshot, previousFailures);
            }
            else
            {
                _telemetry.Failed(providerName, elapsed, error, snapshot, failures, nextAttempt, operation.FailureReportedByCaller);
                if (extended is not null)
                {
                    _telemetry.ExpirationExtended(providerName, extended, nextAttempt, error);
                }
            }

            NextRefreshAtChanged?.Invoke(this);
        }

        activity?.Stop(); // the span ends before any waiter resumes (its Dispose in RunAsync is then a no-op)
        operation.Complete(extended ?? credential, extended is null ? error : null);
        if (followUp is not null)
        {
            Run(followUp, inline: false);
        }
    }

    private void AcceptLocked(CloudCredential credential, long generation, DateTimeOffset now)
    {
        DateTimeOffset? refreshAt = null;
        DateTimeOffset? expiresAt = null;
        if (credential.Expiration is { } expiration)
        {
            expiresAt = expiration - Options.ClockSkew;
            refreshAt = RefreshSchedule.GetRefreshAt(now, expiration, credential.RefreshBefore ?? Options.RefreshBefore, expiresAt.Value);
        }

        long clockNow = _clock.Now();
        var snapshot = new CredentialSnapshot(
            credential,
            refreshAt,
            expiresAt,
            generation,
            CredentialPhase.Fresh,
            _clock.DeadlineAt(refreshAt, now, clockNow),
            _clock.DeadlineAt(expiresAt, now, clockNow));
        bool replacementPending = generation != _generation;
        snapshot = snapshot.WithPhase(snapshot.PhaseAt(now, clockNow, replacementPending));
        _snapshot = snapshot;
        _failures.Reset();
        _nextRefreshAt = replacementPending ? now : refreshAt;
        _phaseTimer.Schedule(snapshot, now);
    }
}
