namespace CloudCredentials.Diagnostics;

/// <summary>Describes every registered credential cache (implemented by the cache registry; read by the health check).</summary>
internal interface ICredentialCacheStatusSource
{
    /// <summary>Describes every registered cache now.</summary>
    /// <returns>One status per registered cache.</returns>
    IReadOnlyList<CredentialCacheStatus> GetStatuses();
}
