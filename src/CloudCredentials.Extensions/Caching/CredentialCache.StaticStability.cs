namespace CloudCredentials.Caching;

// Static stability (AWS guidance, spec AWS_CREDENTIALS.md decisions table): for credentials their provider marked with
// CloudCredential.StaticStability (AWS instance metadata and container only), a failed refresh or an already-expired
// answer does not leave callers without a credential. Every other credential keeps the rule "never served expired".
internal sealed partial class CredentialCache
{
    /// <summary>The shortest wait before the next attempt after a static-stability extension: 5 minutes.</summary>
    public static readonly TimeSpan MinExtension = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait before the next attempt after a static-stability extension: 10 minutes.</summary>
    public static readonly TimeSpan MaxExtension = TimeSpan.FromMinutes(10);

    /// <summary>
    /// After a failed fetch of the current provider: when the cached credential, or the already-expired one the provider
    /// just answered, is marked for static stability and nothing fresher will be served until the next attempt (the
    /// cached one is expired, or expires before that attempt), keeps serving the newer of the two and moves the next
    /// attempt to a random 5–10 minutes from now. Called under the lock, after the failure was recorded.
    /// </summary>
    /// <param name="answeredExpired">The credential the provider answered already expired, or <see langword="null"/> when it failed.</param>
    /// <param name="now">The current time.</param>
    /// <param name="nextAttempt">The next attempt from the backoff; moved when the credential is extended.</param>
    /// <returns>The credential now served past its expiration, or <see langword="null"/> when nothing was extended.</returns>
    private CloudCredential? ExtendLocked(CloudCredential? answeredExpired, DateTimeOffset now, ref DateTimeOffset nextAttempt)
    {
        CredentialSnapshot? current = _snapshot;
        // The credential's own expiry, not the snapshot's: an extended credential is past it, so it is extended again.
        if (current is { Phase: not CredentialPhase.Expired }
            && (current.Credential.Expiration is not { } expiration || (current.IsUsableAt(now) && nextAttempt < expiration - Options.ClockSkew)))
        {
            return null; // the ordinary stale-if-error path serves it until the next attempt
        }

        CloudCredential? cached = current is not null && current.Generation == _generation && current.Credential.StaticStability ? current.Credential : null;
        CloudCredential? answered = answeredExpired is { StaticStability: true } ? answeredExpired : null;
        CloudCredential? kept = cached is null || (answered?.Expiration > cached.Expiration) ? answered : cached;
        if (kept is null)
        {
            return null;
        }

        double jitter = Jitter();
        jitter = double.IsNaN(jitter) ? 1 : Math.Clamp(jitter, 0, 1);
        DateTimeOffset refreshAt = now + MinExtension + ((MaxExtension - MinExtension) * jitter);

        // Served (Fresh) until the next attempt, then for one more minimum extension while that attempt runs; a failure
        // then extends again, and a caller arriving after that still gets it through the fetch it waits for.
        DateTimeOffset servedUntil = refreshAt + MinExtension;
        long clockNow = _clock.Now();
        var snapshot = new CredentialSnapshot(
            kept, refreshAt, servedUntil, _generation, CredentialPhase.Fresh, _clock.DeadlineAt(refreshAt, now, clockNow), _clock.DeadlineAt(servedUntil, now, clockNow));
        _snapshot = snapshot;
        _phaseTimer.Schedule(snapshot, now);
        nextAttempt = refreshAt;
        _failures.Postpone(refreshAt);
        return kept;
    }
}
