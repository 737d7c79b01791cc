using CloudCredentials.Caching;
using CloudCredentials.Diagnostics;
using CloudCredentials.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudCredentials.Credentials;

/// <summary>
/// What a <see cref="CredentialSpec"/> needs to build its provider for one registration: the registration's named
/// HttpClients, the clock, loggers, metrics, the services shared by a credential type (such as the IMDS token cache),
/// and ownership of the inner caches a role creates for its signing credential (disposed with the registration).
/// </summary>
internal sealed class ProviderBuildContext
{
    private readonly CloudCredentialsMetrics? _metrics;
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly int? _timeoutMilliseconds;
    private readonly int? _connectTimeoutMilliseconds;

    /// <summary>Creates a context.</summary>
    /// <param name="registrationName">The options name of the registration; empty for the default one.</param>
    /// <param name="displayName">The registration's name in logs, metrics and health reports.</param>
    /// <param name="refresh">The registration's refresh settings, used by inner caches.</param>
    /// <param name="services">The application's services.</param>
    /// <param name="timeoutMilliseconds">The registration's <c>Timeout</c> option (per HTTP attempt), or <see langword="null"/> for the defaults.</param>
    /// <param name="connectTimeoutMilliseconds">The registration's <c>ConnectTimeout</c> option, or <see langword="null"/> for the defaults.</param>
    public ProviderBuildContext(
        string registrationName,
        string displayName,
        CredentialRefreshOptions refresh,
        IServiceProvider services,
        int? timeoutMilliseconds = null,
        int? connectTimeoutMilliseconds = null)
    {
        ArgumentNullException.ThrowIfNull(registrationName);
        ArgumentNullException.ThrowIfNull(displayName);
        ArgumentNullException.ThrowIfNull(refresh);
        ArgumentNullException.ThrowIfNull(services);
        RegistrationName = registrationName;
        DisplayName = displayName;
        Refresh = refresh;
        Services = services;
        TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        LoggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        _metrics = services.GetService<CloudCredentialsMetrics>();
        _timeoutMilliseconds = timeoutMilliseconds;
        _connectTimeoutMilliseconds = connectTimeoutMilliseconds;
    }

    /// <summary>Gets the options name of the registration (empty for the default one).</summary>
    public string RegistrationName { get; }

    /// <summary>Gets the registration's name in logs, metrics and health reports.</summary>
    public string DisplayName { get; }

    /// <summary>Gets the registration's refresh settings.</summary>
    public CredentialRefreshOptions Refresh { get; }

    /// <summary>Gets the application's services, for singletons a credential type shares across registrations.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the logger factory.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Inner caches created for signing credentials; disposed with the registration (a copy).</summary>
    public IReadOnlyList<IAsyncDisposable> OwnedResources
    {
        get
        {
            lock (_owned)
            {
                return [.. _owned];
            }
        }
    }

    /// <summary>Gets the HTTP settings of one client kind for this registration: the kind's defaults with the registration's timeouts.</summary>
    /// <param name="kind">One of the client kinds of <see cref="CloudCredentialsHttpClients"/>.</param>
    /// <returns>The settings.</returns>
    public HttpClientSettings HttpSettings(string kind)
        => HttpClientSettings.FromOptions(CloudCredentialsHttpClients.DefaultSettings(kind), _timeoutMilliseconds, _connectTimeoutMilliseconds);

    /// <summary>
    /// Creates the HttpClient of one kind for this registration (see <see cref="CloudCredentialsHttpClients"/>): a
    /// client shared by every registration with the same settings.
    /// </summary>
    /// <param name="kind">One of the client kinds of <see cref="CloudCredentialsHttpClients"/>.</param>
    /// <returns>A client from <see cref="IHttpClientFactory"/>, with the resilience pipeline.</returns>
    public HttpClient CreateHttpClient(string kind) => CloudCredentialsHttpClients.CreateClient(Services, kind, HttpSettings(kind));

    /// <summary>
    /// Creates a cache owned by the registration for an inner credential (such as the one a role signs with), so it
    /// is refreshed ahead of expiry on its own and disposed with the registration.
    /// </summary>
    /// <param name="purpose">What the cache is for, appended to the registration name (such as <c>signing</c>).</param>
    /// <param name="provider">The inner provider.</param>
    /// <returns>The cache, an <see cref="ICredentialSource"/>.</returns>
    public CredentialCache CreateOwnedCache(string purpose, ICredentialProvider provider)
    {
        var cache = new CredentialCache(
            DisplayName + "/" + purpose,
            provider,
            Refresh,
            TimeProvider,
            LoggerFactory.CreateLogger<CredentialCache>(),
            _metrics);
        lock (_owned)
        {
            _owned.Add(cache);
        }

        return cache;
    }
}
