using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// The default provider chain (spec section 0): env → OIDC → CLI config.json → INI → ECS RAM role →
/// credentials URI, as composed by the provider factory from the environment at build time.
/// </summary>
/// <remarks>
/// The provider that last succeeded is remembered (recorded only on success) and asked first next time.
/// When it fails and the credential it last produced has expired, the chain is walked again from the top,
/// so a variable exported later is found. When every provider declines, one
/// <see cref="CredentialUnavailableException"/> lists each provider in order with its reason.
/// Credentials are named <c>default/&lt;inner&gt;</c> on every call.
/// </remarks>
internal sealed class DefaultCredentialChain : ICredentialChain
{
    public const string Name = CredentialProviderNames.Default;

    private readonly IReadOnlyList<ICredentialProvider> _providers;
    private readonly IReadOnlyList<string> _skipped;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _clockSkew;
    private readonly object _gate = new();
    private ICredentialProvider? _last;
    private DateTimeOffset? _lastExpiration;

    public DefaultCredentialChain(IReadOnlyList<ICredentialProvider> providers, IReadOnlyList<string> skipped, TimeProvider timeProvider, TimeSpan clockSkew = default)
    {
        _providers = providers;
        _skipped = skipped;
        _timeProvider = timeProvider;
        _clockSkew = clockSkew;
    }

    public string ProviderName => Name;

    /// <inheritdoc />
    public IReadOnlyList<ICredentialProvider> Providers => _providers;

    /// <inheritdoc />
    public IReadOnlyList<string> Skipped => _skipped;

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

        var failures = new List<CredentialUnavailableException>(_providers.Count);
        foreach (ICredentialProvider provider in _providers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (lastFailure is not null && ReferenceEquals(provider, last))
            {
                failures.Add(lastFailure);
                continue;
            }

            try
            {
                return Record(provider, await provider.FetchAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (CredentialUnavailableException ex)
            {
                failures.Add(ex.ProviderName is null ? new CredentialUnavailableException(provider.ProviderName, ex.Message, ex) : ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Unexpected failures are reported by type only: their messages are not known to be free of secrets.
                failures.Add(new CredentialUnavailableException(provider.ProviderName, $"unexpected {ex.GetType().Name}", ex));
            }
        }

        if (_skipped.Count > 0)
        {
            failures.Add(new CredentialUnavailableException("skipped", string.Join(", ", _skipped), null));
        }

        throw new CredentialUnavailableException(Name, failures);
    }

    private CloudCredential Record(ICredentialProvider provider, CloudCredential credential)
    {
        lock (_gate)
        {
            _last = provider;
            _lastExpiration = credential.Expiration;
        }

        return credential.WithProviderName(Name + "/" + credential.ProviderName);
    }
}
