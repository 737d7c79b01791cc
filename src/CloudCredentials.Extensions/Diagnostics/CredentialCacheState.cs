namespace CloudCredentials.Diagnostics;

/// <summary>What a credential cache can serve right now, as reported to health checks and metrics.</summary>
internal enum CredentialCacheState
{
    /// <summary>Nothing has been fetched or attempted yet; the first caller fetches.</summary>
    NotFetched,

    /// <summary>An unexpired credential is cached and the last refresh succeeded.</summary>
    Valid,

    /// <summary>The cached credential expired and no refresh has failed since; the next caller fetches.</summary>
    Expired,

    /// <summary>An unexpired credential is served, but the latest refreshes failed (stale-if-error).</summary>
    Stale,

    /// <summary>No valid credential is cached and the latest attempt failed: callers get an error.</summary>
    Unavailable,
}
