namespace CloudCredentials.Caching;

/// <summary>
/// Where a cached credential stands; moved by the cache's timer. The hot path also checks the snapshot's deadlines,
/// so a timer that does not run never lets a stale phase serve a credential past its refresh point or expiry.
/// </summary>
internal enum CredentialPhase
{
    /// <summary>Before the refresh point: served as is, after one cheap deadline check.</summary>
    Fresh,

    /// <summary>Past the refresh point (or the provider was replaced) but not expired: served while one background refresh runs.</summary>
    RefreshDue,

    /// <summary>Expired (within the clock skew): never served; callers wait for the shared refresh.</summary>
    Expired,
}
