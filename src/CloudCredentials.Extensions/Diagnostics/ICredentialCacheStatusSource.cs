namespace CloudCredentials.Diagnostics;

/// <summary>Describes every registered credential cache (implemented by the cache registry; read by the health check).</summary>
internal interface ICredentialCacheStatusSource
{
    /// <summary>Describes every registered cache now.</summary>
    /// <returns>One status per registered cache.</returns>
    IReadOnlyList<CredentialCacheStatus> GetStatuses();

    /// <summary>
    /// Asks every registration that has no credential to serve (nothing fetched yet, expired, or its latest attempt
    /// failed) for one, as a request would: starts or joins its shared fetch. The caches of registrations nobody has
    /// resolved yet are created first.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait only; the fetches go on.</param>
    /// <returns>A task that completes when every fetch asked for has ended; a failure is in the status, not thrown.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    Task RequestCredentialsAsync(CancellationToken cancellationToken);
}
