namespace CloudCredentials.Caching;

/// <summary>The refresh policy: when a credential is refreshed and how long to wait after failures.</summary>
internal static class RefreshSchedule
{
    /// <summary>The shortest retry delay, whatever the options say, so a failing provider is never called in a tight loop.</summary>
    public static readonly TimeSpan MinimumRetryDelay = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Computes the refresh point: <c>Expiration − min(refreshBefore, lifetime / 2)</c> with the lifetime measured from
    /// <paramref name="fetchedAt"/>, and never later than <paramref name="expiresAt"/>. So a 900 s session refreshes
    /// after 450 s (not on every call) and a 20 s one after 10 s.
    /// </summary>
    /// <param name="fetchedAt">When the credential was fetched.</param>
    /// <param name="expiration">The credential's expiration.</param>
    /// <param name="refreshBefore">How long before expiry to refresh (the provider's hint or the configured default).</param>
    /// <param name="expiresAt">When the credential stops being served (expiration minus clock skew).</param>
    /// <returns>The refresh point.</returns>
    public static DateTimeOffset GetRefreshAt(DateTimeOffset fetchedAt, DateTimeOffset expiration, TimeSpan refreshBefore, DateTimeOffset expiresAt)
    {
        TimeSpan halfLifetime = (expiration - fetchedAt) / 2;
        TimeSpan lead = refreshBefore < halfLifetime ? refreshBefore : halfLifetime;
        if (lead < TimeSpan.Zero)
        {
            lead = TimeSpan.Zero;
        }

        DateTimeOffset refreshAt = expiration - lead;
        return refreshAt < expiresAt ? refreshAt : expiresAt;
    }

    /// <summary>
    /// Computes the delay before the next attempt after <paramref name="failureCount"/> consecutive failures:
    /// <c>min(maxDelay, baseDelay · 2^(failureCount − 1))</c>, of which a random half is taken off ("equal jitter"),
    /// so the result lies in [d/2, d] and never exceeds <paramref name="maxDelay"/>.
    /// </summary>
    /// <param name="failureCount">Consecutive failures so far, at least 1.</param>
    /// <param name="baseDelay">The first delay.</param>
    /// <param name="maxDelay">The cap.</param>
    /// <param name="jitter">A random number in [0, 1]; 1 gives the full exponential delay.</param>
    /// <returns>The delay.</returns>
    public static TimeSpan GetRetryDelay(int failureCount, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        if (baseDelay < MinimumRetryDelay)
        {
            baseDelay = MinimumRetryDelay;
        }

        if (maxDelay < baseDelay)
        {
            maxDelay = baseDelay;
        }

        int exponent = Math.Clamp(failureCount - 1, 0, 40);
        double ticks = Math.Min(baseDelay.Ticks * Math.Pow(2, exponent), maxDelay.Ticks);
        double factor = 0.5 + (0.5 * Math.Clamp(double.IsNaN(jitter) ? 1 : jitter, 0, 1));
        return TimeSpan.FromTicks((long)(ticks * factor));
    }
}
