namespace CloudCredentials.Caching;

// A part of CredentialCache (see its remarks): what the phase timer does when the snapshot's phase (fresh, refresh
// due, expired) changes, under the cache's lock.
internal sealed partial class CredentialCache
{
    private void OnTimer()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                EvaluateLocked(_timeProvider.GetUtcNow());
            }
        }
    }

    /// <summary>Moves the snapshot to its phase at <paramref name="now"/> and arms the timer for the next transition.</summary>
    private void EvaluateLocked(DateTimeOffset now)
    {
        CredentialSnapshot? snapshot = _snapshot;
        if (snapshot is null)
        {
            return;
        }

        CredentialSnapshot updated = snapshot.WithPhase(snapshot.PhaseAt(now, _clock.Now(), snapshot.Generation != _generation));
        if (!ReferenceEquals(updated, snapshot))
        {
            _snapshot = updated;
        }

        _phaseTimer.Schedule(updated, now);
    }
}
