using CloudCredentials.Diagnostics;

namespace CloudCredentials.Caching;

// A part of CredentialCache (see its remarks): what the health check reads and asks, under the cache's lock.
internal sealed partial class CredentialCache
{
    /// <inheritdoc />
    public CredentialCacheStatus GetStatus()
    {
        lock (_gate)
        {
            DateTimeOffset now = _timeProvider.GetUtcNow();
            CredentialSnapshot? snapshot = _snapshot;
            bool failing = _failures.ConsecutiveFailures > 0;
            CredentialCacheState state;
            TimeSpan? timeToExpiry = null;
            if (snapshot is null)
            {
                state = failing ? CredentialCacheState.Unavailable : CredentialCacheState.NotFetched;
            }
            else if (snapshot.IsUsableAt(now))
            {
                state = failing ? CredentialCacheState.Stale : CredentialCacheState.Valid;
                if (snapshot.Credential.Expiration is { } expiration)
                {
                    timeToExpiry = expiration - now;
                }
            }
            else
            {
                state = failing ? CredentialCacheState.Unavailable : CredentialCacheState.Expired;
                timeToExpiry = TimeSpan.Zero;
            }

            return new CredentialCacheStatus(
                RegistrationName,
                _provider.ProviderName,
                state,
                snapshot?.Credential.Expiration,
                timeToExpiry,
                _failures.ConsecutiveFailures,
                _failures.LastFailure?.Message)
            {
                FetchInProgress = _inflight is not null,
            };
        }
    }

    /// <summary>
    /// For the health check: with no credential to serve (nothing fetched yet, expired, or the latest attempt failed),
    /// asks for one as a request would, starting or joining the shared fetch; with one, completes at once.
    /// </summary>
    /// <param name="cancellationToken">Cancels this wait only; the shared fetch goes on.</param>
    /// <returns>A task that completes when the fetch has ended; a failure is not thrown but shown by <see cref="GetStatus"/>.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task RequestCredentialAsync(CancellationToken cancellationToken)
    {
        try
        {
            _ = await GetCredentialAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CredentialUnavailableException or ObjectDisposedException)
        {
            // Counted and described by GetStatus (a disposed cache: the host is stopping).
        }
    }
}
