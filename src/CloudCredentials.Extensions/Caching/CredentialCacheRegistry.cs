using CloudCredentials.Diagnostics;

namespace CloudCredentials.Caching;

/// <summary>
/// The singleton list of credential caches the refresh service keeps warm and the health check reports on (asking
/// those without a credential for one first). It wakes the refresh service whenever a cache is added or a cache's
/// <see cref="CredentialCache.NextRefreshAt"/> may have changed.
/// </summary>
internal sealed class CredentialCacheRegistry : ICredentialCacheStatusSource
{
    private readonly object _gate = new();
    private readonly IServiceProvider? _services;
    private readonly CredentialCacheRegistration[] _registrations;
    private CredentialCache[] _caches = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;
    private bool _activated;

    /// <summary>Creates an empty registry; caches are added with <see cref="Add"/>.</summary>
    public CredentialCacheRegistry()
        : this(null, [])
    {
    }

    /// <summary>Creates a registry that can also create the caches of DI <paramref name="registrations"/> on <see cref="ActivateRegistrations"/>.</summary>
    /// <param name="services">The service provider the registrations resolve from.</param>
    /// <param name="registrations">The caches known to DI.</param>
    public CredentialCacheRegistry(IServiceProvider? services, IEnumerable<CredentialCacheRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        _services = services;
        _registrations = [.. registrations];
    }

    /// <summary>Gets the registered caches (a snapshot).</summary>
    public IReadOnlyList<CredentialCache> Caches => Volatile.Read(ref _caches);

    /// <summary>Gets a number that changes on every <see cref="NotifyChanged"/>.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Adds a cache (idempotent) and wakes the refresh service.</summary>
    /// <param name="cache">The cache.</param>
    public void Add(CredentialCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        lock (_gate)
        {
            if (_caches.Contains(cache))
            {
                return;
            }

            _caches = [.. _caches, cache];
            cache.NextRefreshAtChanged += _ => NotifyChanged();
        }

        NotifyChanged();
    }

    /// <summary>Creates (resolves) the cache of every DI registration and adds it; later calls do nothing.</summary>
    public void ActivateRegistrations()
    {
        lock (_gate)
        {
            if (_activated)
            {
                return;
            }

            _activated = true;
        }

        if (_services is null)
        {
            return;
        }

        foreach (CredentialCacheRegistration registration in _registrations)
        {
            Add(registration.Resolve(_services));
        }
    }

    /// <summary>Wakes whoever waits in <see cref="WaitForChangeAsync"/>.</summary>
    public void NotifyChanged()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _version++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Completes when <see cref="Version"/> differs from <paramref name="observedVersion"/>.</summary>
    /// <param name="observedVersion">The version the caller last acted on.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes on the next change (at once if one happened since).</returns>
    public Task WaitForChangeAsync(long observedVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _version != observedVersion ? Task.CompletedTask : _changed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<CredentialCacheStatus> GetStatuses() => [.. Caches.Select(c => c.GetStatus())];

    /// <inheritdoc />
    public Task RequestCredentialsAsync(CancellationToken cancellationToken)
    {
        ActivateRegistrations();
        return Task.WhenAll(Caches.Select(c => c.RequestCredentialAsync(cancellationToken)));
    }
}
