using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Http;

/// <summary>
/// Names and registration of the library's HttpClients. Each is a named client of <see cref="IHttpClientFactory"/>
/// with an infinite <see cref="HttpClient.Timeout"/> (Polly owns time), a primary <see cref="SocketsHttpHandler"/>
/// (connect timeout, proxy on/off, no redirects) and a fresh <see cref="ResilienceHandler"/> per handler pipeline.
/// The factory's default request logging is removed: URLs can carry tokens; the clients log redacted endpoints.
/// </summary>
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

    /// <summary>The client name of one kind for one named registration: <paramref name="kind"/> itself for the default (empty) name, else <c>kind/registrationName</c>.</summary>
    /// <param name="kind">One of the constants of this class.</param>
    /// <param name="registrationName">The options name of the registration; empty for the unnamed one.</param>
    public static string Name(string kind, string registrationName)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        return string.IsNullOrEmpty(registrationName) ? kind : kind + "/" + registrationName;
    }

    /// <summary>
    /// Registers a named credential HttpClient. Idempotent per name: a second call for the same name adds nothing
    /// (the first <paramref name="settings"/> wins) and returns a builder for the existing client.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="clientName">The client name, usually from <see cref="Name"/>.</param>
    /// <param name="settings">
    /// Gives the client's settings; called each time the factory builds a handler pipeline (every few minutes), so it
    /// may read <c>IOptionsMonitor</c> to follow reloads.
    /// </param>
    /// <returns>The builder, for further configuration.</returns>
    public static IHttpClientBuilder AddCloudCredentialsHttpClient(
        this IServiceCollection services,
        string clientName,
        Func<IServiceProvider, HttpClientSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(clientName);
        ArgumentNullException.ThrowIfNull(settings);

        services.TryAddSingleton(TimeProvider.System);
        if (services.Any(d => d.ServiceType == typeof(RegisteredClient) && d.ImplementationInstance is RegisteredClient r && r.Name == clientName))
        {
            return services.AddHttpClient(clientName);
        }

        services.AddSingleton(new RegisteredClient(clientName));
        return services
            .AddHttpClient(clientName, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(sp => CreatePrimaryHandler(settings(sp)))
            .AddHttpMessageHandler(sp => new ResilienceHandler(
                settings(sp),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(ResilienceHandler).FullName!)));
    }

    /// <summary>Marks a client name as registered (idempotency).</summary>
    private sealed record RegisteredClient(string Name);

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
