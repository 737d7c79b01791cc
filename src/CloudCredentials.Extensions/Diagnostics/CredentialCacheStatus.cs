namespace CloudCredentials.Diagnostics;

/// <summary>A secret-free point-in-time view of one credential cache, for health checks and metrics.</summary>
/// <param name="RegistrationName">The registration the cache serves.</param>
/// <param name="ProviderName">The name of the provider the cache fetches from.</param>
/// <param name="State">What the cache can serve now.</param>
/// <param name="Expiration">The expiration of the cached credential, or <see langword="null"/> for none or a static credential.</param>
/// <param name="TimeToExpiry">How long until the cached credential expires (zero when expired), or <see langword="null"/>.</param>
/// <param name="ConsecutiveFailures">The number of failed refreshes since the last success.</param>
/// <param name="LastFailure">The message of the latest failure since the last success, or <see langword="null"/>.</param>
internal sealed record CredentialCacheStatus(
    string RegistrationName,
    string ProviderName,
    CredentialCacheState State,
    DateTimeOffset? Expiration,
    TimeSpan? TimeToExpiry,
    int ConsecutiveFailures,
    string? LastFailure)
{
    /// <summary>Gets whether a fetch is under way.</summary>
    public bool FetchInProgress { get; init; }
}
