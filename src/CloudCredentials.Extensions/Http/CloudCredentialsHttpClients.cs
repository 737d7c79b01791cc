using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Polly;

namespace CloudCredentials.Http;

/// <summary>
/// Names and registration of the library's HttpClients. Each is a named client of <see cref="IHttpClientFactory"/>
/// with an infinite <see cref="HttpClient.Timeout"/> (Polly owns time), a primary <see cref="SocketsHttpHandler"/>
/// (connect timeout, proxy on/off, no redirects) and the <c>Microsoft.Extensions.Http.Resilience</c> handler running
/// the pipeline of <see cref="CredentialResiliencePipeline"/>. The factory's default request logging is removed: URLs
/// can carry tokens; the pipeline logs redacted endpoints.
/// </summary>
/// <remarks>
/// Clients are shared: a client is named by its kind and its settings (<see cref="Name"/>), not by the registration,
/// so every registration with the same HTTP settings uses one handler pipeline and one connection pool. Nothing is
/// registered per credential registration; a name is configured the first time it is asked for.
/// </remarks>
internal static class CloudCredentialsHttpClients
{
    /// <summary>ECS instance metadata (IMDS).</summary>
    public const string Metadata = "CloudCredentials.Metadata";

    /// <summary>The default chain's short probe of ECS instance metadata (no retries).</summary>
    public const string MetadataProbe = "CloudCredentials.MetadataProbe";

    /// <summary>STS AssumeRole and AssumeRoleWithOIDC.</summary>
    public const string Sts = "CloudCredentials.Sts";

    /// <summary>Credentials URI.</summary>
    public const string CredentialsUri = "CloudCredentials.CredentialsUri";

    /// <summary>CloudSSO and OAuth sign-in services.</summary>
    public const string SignIn = "CloudCredentials.SignIn";

    /// <summary>The default settings of a client kind: <see cref="HttpClientSettings.Metadata"/>, <see cref="HttpClientSettings.MetadataProbe"/> or <see cref="HttpClientSettings.Remote"/>.</summary>
    /// <param name="kind">One of the constants of this class.</param>
    public static HttpClientSettings DefaultSettings(string kind) => kind switch
    {
        Metadata => HttpClientSettings.Metadata,
        MetadataProbe => HttpClientSettings.MetadataProbe,
        Sts or CredentialsUri or SignIn => HttpClientSettings.Remote,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a CloudCredentials HttpClient kind."),
    };

    /// <summary>The client name of one kind with one set of settings: <c>kind/settingsKey</c>.</summary>
    /// <param name="kind">One of the constants of this class.</param>
    /// <param name="settings">The client's settings.</param>
    public static string Name(string kind, HttpClientSettings settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(settings);
        return kind + "/" + settings.Key;
    }

    /// <summary>
    /// Creates the shared client of <paramref name="kind"/> for <paramref name="settings"/>. Without the library's
    /// registrations (<see cref="AddCloudCredentialsHttpClients"/>) it is the factory's plain client of that name.
    /// </summary>
    /// <param name="services">The application's services (an <see cref="IHttpClientFactory"/> is required).</param>
    /// <param name="kind">One of the constants of this class.</param>
    /// <param name="settings">The client's settings.</param>
    /// <returns>A client from <see cref="IHttpClientFactory"/>.</returns>
    public static HttpClient CreateClient(IServiceProvider services, string kind, HttpClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        string name = Name(kind, settings);
        services.GetService<ClientCatalog>()?.TryAdd(name, _ => settings);
        return services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
    }

    /// <summary>
    /// Registers the infrastructure of the library's clients once: the factory, the client catalog, the configuration
    /// of every catalogued name and the Polly pipeline registry (with the application's <see cref="TimeProvider"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddCloudCredentialsHttpClients(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(ClientCatalog)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient();
        services.AddResiliencePipelineRegistry<ClientKey>();
        services.AddResilienceEnricher();
        services.AddSingleton(new ClientCatalog());
        services.AddSingleton<IConfigureOptions<HttpClientFactoryOptions>, ConfigureCatalogedClients>();
        return services;
    }

    /// <summary>
    /// Registers a credential HttpClient under a fixed name. Idempotent per name: a second call for the same name adds
    /// nothing (the first <paramref name="settings"/> wins).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="clientName">The client name.</param>
    /// <param name="settings">
    /// Gives the client's settings; called each time the factory builds a handler pipeline (every few minutes), so it
    /// may read <c>IOptionsMonitor</c> to follow reloads.
    /// </param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddCloudCredentialsHttpClient(
        this IServiceCollection services,
        string clientName,
        Func<IServiceProvider, HttpClientSettings> settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientName);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddCloudCredentialsHttpClients();
        var catalog = (ClientCatalog)services.First(d => d.ServiceType == typeof(ClientCatalog)).ImplementationInstance!;
        catalog.TryAdd(clientName, settings);
        return services;
    }

    /// <summary>Creates the primary handler for the settings.</summary>
    internal static SocketsHttpHandler CreatePrimaryHandler(HttpClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SocketsHttpHandler
        {
            ConnectTimeout = settings.ConnectTimeout,
            UseProxy = settings.UseProxy,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxResponseHeadersLength = 64,
        };
    }
}
