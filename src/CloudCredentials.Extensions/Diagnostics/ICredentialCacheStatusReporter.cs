namespace CloudCredentials.Diagnostics;

/// <summary>Something that can describe one credential cache without secrets (implemented by the cache).</summary>
internal interface ICredentialCacheStatusReporter
{
    /// <summary>Describes the cache now.</summary>
    /// <returns>The cache's status.</returns>
    CredentialCacheStatus GetStatus();
}
