namespace CloudCredentials.Credentials;

/// <summary>
/// Providers asked in order (a cloud's default chain), composed by the cloud's chain spec from the environment at
/// build time; <see cref="ChainPolicy"/> carries what differs between clouds.
/// </summary>
/// <remarks>
/// The provider that last succeeded is remembered (recorded only on success) and asked first next time. When it fails
/// and the credential it last produced has expired, the chain is walked again from the top, so a variable exported
/// later is found. When the walk ends without a credential, one <see cref="CredentialUnavailableException"/> lists each
/// provider in order with its reason (with <see cref="ChainPolicy.StopOnConfiguredFailure"/>, the members after the
/// failed one as not asked), then the skipped sources. Credentials are renamed by <see cref="ChainPolicy.JoinName"/>.
/// </remarks>
internal class CredentialChain : ICredentialChain
{
    private readonly IReadOnlyList<ICredentialProvider> _providers;
    private readonly IReadOnlyList<string> _skipped;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _clockSkew;
    private readonly ChainPolicy _policy;
    private readonly object _gate = new();
    private ICredentialProvider? _last;
    private DateTimeOffset? _lastExpiration;

    public CredentialChain(ChainPolicy policy, IReadOnlyList<ICredentialProvider> providers, IReadOnlyList<string> skipped, TimeProvider timeProvider, TimeSpan clockSkew = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(skipped);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _policy = policy;
        _providers = providers;
        _skipped = skipped;
        _timeProvider = timeProvider;
        _clockSkew = clockSkew;
    }

    public string ProviderName => _policy.Name;

    /// <inheritdoc />
    public IReadOnlyList<ICredentialProvider> Providers => _providers;

    /// <inheritdoc />
    public IReadOnlyList<string> Skipped => _skipped;

    /// <inheritdoc />
    public bool StopsOnConfiguredFailure => _policy.StopOnConfiguredFailure;

    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        ICredentialProvider? last;
        DateTimeOffset? lastExpiration;
        lock (_gate)
        {
            last = _last;
            lastExpiration = _lastExpiration;
        }

        CredentialUnavailableException? lastFailure = null;
        if (last is not null)
        {
            try
            {
                return Record(last, await last.FetchAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (CredentialUnavailableException) when (lastExpiration is { } exp && exp - _clockSkew > _timeProvider.GetUtcNow())
            {
                // The credential it produced last is still valid: the cache keeps serving it (stale-if-error)
                // and retries the same provider later. Walking the chain now could switch sources needlessly.
                throw;
            }
            catch (CredentialUnavailableException ex)
            {
                // Fall through: walk the whole chain again from the top (without asking this provider twice).
                lastFailure = ex;
            }
        }

        var failures = new List<CredentialUnavailableException>(_providers.Count + 1);
        bool stopped = false;
        foreach (ICredentialProvider provider in _providers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (stopped)
            {
                failures.Add(new CredentialUnavailableException(provider.ProviderName, "not asked: the chain stops at the first configured source", null));
                continue;
            }

            CredentialUnavailableException failure;
            if (lastFailure is not null && ReferenceEquals(provider, last))
            {
                failure = lastFailure;
            }
            else
            {
                try
                {
                    return Record(provider, await provider.FetchAsync(cancellationToken).ConfigureAwait(false));
                }
                catch (CredentialUnavailableException ex)
                {
                    failure = ex.ProviderName is null ? new CredentialUnavailableException(provider.ProviderName, ex.Message, ex) : ex;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Unexpected failures are reported by type only: their messages are not known to be free of secrets.
                    failure = new CredentialUnavailableException(provider.ProviderName, $"unexpected {ex.GetType().Name}", ex);
                }
            }

            failures.Add(failure);
            stopped = _policy.StopOnConfiguredFailure && failure is not SourceNotConfiguredException;
        }

        if (_skipped.Count > 0)
        {
            failures.Add(new CredentialUnavailableException("skipped", string.Join(", ", _skipped), null));
        }

        throw new CredentialUnavailableException(_policy.Name, failures, _policy.Advice);
    }

    private CloudCredential Record(ICredentialProvider provider, CloudCredential credential)
    {
        lock (_gate)
        {
            _last = provider;
            _lastExpiration = credential.Expiration;
        }

        return credential.WithProviderName(_policy.JoinName(_policy.Name, credential.ProviderName));
    }
}
