using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace CloudCredentials.Http;

/// <summary>The names of the library's HttpClients and how to get each one's settings (first registration wins).</summary>
internal sealed class ClientCatalog
{
    private readonly ConcurrentDictionary<string, Func<IServiceProvider, HttpClientSettings>> _clients = new(StringComparer.Ordinal);

    /// <summary>Adds a client name unless it is known already.</summary>
    /// <param name="name">The client name.</param>
    /// <param name="settings">Gives the client's settings when the factory builds its handler pipeline.</param>
    public void TryAdd(string name, Func<IServiceProvider, HttpClientSettings> settings) => _clients.TryAdd(name, settings);

    /// <summary>Gets how to get a client's settings.</summary>
    /// <param name="name">The client name.</param>
    /// <param name="settings">The settings function, if the name is known.</param>
    /// <returns>Whether the name is one of the library's clients.</returns>
    public bool TryGet(string name, out Func<IServiceProvider, HttpClientSettings> settings) => _clients.TryGetValue(name, out settings!);
}

/// <summary>The key of a client's pipeline in the Polly registry; its text (the client name) is the pipeline name in telemetry.</summary>
/// <param name="ClientName">The client name.</param>
/// <param name="Settings">The settings the pipeline is built from.</param>
internal sealed record ClientKey(string ClientName, HttpClientSettings Settings)
{
    /// <inheritdoc />
    public override string ToString() => ClientName;
}

/// <summary>
/// Configures every catalogued client name the first time the factory asks for it: no factory request logging, an
/// infinite <see cref="HttpClient.Timeout"/>, the primary <see cref="SocketsHttpHandler"/> and the package's
/// <see cref="ResilienceHandler"/> over the pipeline the Polly registry holds for the name and its settings.
/// </summary>
/// <remarks>
/// <c>AddResilienceHandler</c> and <c>RemoveAllLoggers</c> configure a name fixed when services are registered; the
/// shared names here exist only once settings are known (after configuration binding), so this does the same
/// per name on demand. <c>RemoveAllLoggers</c>' effect is taken from the factory itself (the option action it
/// registers for a probe name), not re-implemented.
/// <para>
/// After that, whatever the application configured for the kind's plain name (such as
/// <c>services.AddHttpClient("CloudCredentials.Sts").ConfigurePrimaryHttpMessageHandler(...)</c>) is applied to every
/// shared client of that kind, so a primary handler set there replaces the library's and a handler added there runs
/// inside the resilience pipeline, once per attempt.
/// </para>
/// </remarks>
internal sealed class ConfigureCatalogedClients(ClientCatalog catalog, IServiceProvider services) : IConfigureNamedOptions<HttpClientFactoryOptions>
{
    private const string ProbeName = "CloudCredentials.LoggerRemovalProbe";

    private static readonly Action<HttpClientFactoryOptions>[] RemoveAllLoggers = LoggerRemoval();

    /// <inheritdoc />
    public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);

    /// <inheritdoc />
    public void Configure(string? name, HttpClientFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name is null || !catalog.TryGet(name, out Func<IServiceProvider, HttpClientSettings>? settingsOf))
        {
            return;
        }

        foreach (Action<HttpClientFactoryOptions> removeLoggers in RemoveAllLoggers)
        {
            removeLoggers(options);
        }

        options.HttpClientActions.Add(static client => client.Timeout = Timeout.InfiniteTimeSpan);
        options.HttpMessageHandlerBuilderActions.Add(builder =>
        {
            HttpClientSettings settings = settingsOf(builder.Services);
            builder.PrimaryHandler = CloudCredentialsHttpClients.CreatePrimaryHandler(settings);
            IServiceProvider services = builder.Services;
            ResiliencePipeline<HttpResponseMessage> pipeline = services.GetRequiredService<ResiliencePipelineRegistry<ClientKey>>()
                .GetOrAddPipeline<HttpResponseMessage>(new ClientKey(name, settings), (b, _) => CredentialResiliencePipeline.Configure(b, settings, services));
            builder.AdditionalHandlers.Add(new ResilienceHandler(pipeline));
        });

        int slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            ApplyKindConfiguration(name[..slash], options);
        }
    }

    private void ApplyKindConfiguration(string kind, HttpClientFactoryOptions options)
    {
        foreach (ConfigureNamedOptions<HttpClientFactoryOptions> configure in services.GetServices<IConfigureOptions<HttpClientFactoryOptions>>()
            .OfType<ConfigureNamedOptions<HttpClientFactoryOptions>>()
            .Where(c => c.Name == kind))
        {
            configure.Action?.Invoke(options);
        }
    }

    private static Action<HttpClientFactoryOptions>[] LoggerRemoval()
    {
        var probe = new ServiceCollection();
        probe.AddHttpClient(ProbeName).RemoveAllLoggers();
        return [.. probe
            .Select(d => d.ImplementationInstance)
            .OfType<ConfigureNamedOptions<HttpClientFactoryOptions>>()
            .Where(c => c.Name == ProbeName && c.Action is not null)
            .Select(c => c.Action!)];
    }
}
