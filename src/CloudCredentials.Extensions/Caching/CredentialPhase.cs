namespace CloudCredentials.Caching;

/// <summary>Where a cached credential stands; moved by the cache's timer, so the hot path never reads the clock.</summary>
internal enum CredentialPhase
{
    /// <summary>Before the refresh point: served as is, with no clock read.</summary>
    Fresh,

    /// <summary>Past the refresh point (or the provider was replaced) but not expired: served while one background refresh runs.</summary>
    RefreshDue,

    /// <summary>Expired (within the clock skew): never served; callers wait for the shared refresh.</summary>
    Expired,
}
