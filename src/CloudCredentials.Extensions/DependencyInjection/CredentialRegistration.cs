using CloudCredentials.Caching;
using CloudCredentials.Diagnostics;
using CloudCredentials.Http;
using CloudCredentials.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudCredentials.DependencyInjection;

/// <summary>
/// One <c>AddCloudCredentials</c> registration at run time: the provider built from its options, the cache that
/// is its <see cref="ICredentialSource"/>, and the options-reload subscription that rebuilds the provider and swaps
/// it in (the current unexpired credential keeps being served until the new provider has produced one).
/// </summary>
internal sealed class CredentialRegistration : IAsyncDisposable
{
    private readonly string _name;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly List<ProviderFactory> _factories = [];
    private readonly IDisposable? _changeSubscription;
    private readonly object _gate = new();

    public CredentialRegistration(string name, IServiceProvider services)
    {
        _name = name;
        _services = services;
        ILoggerFactory loggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger("CloudCredentials.Registration");

        IOptionsMonitor<CloudCredentialsOptions> monitor = services.GetRequiredService<IOptionsMonitor<CloudCredentialsOptions>>();
        CloudCredentialsOptions options = monitor.Get(name);
        ICredentialProvider provider = CreateProvider(options);
        Source = new CredentialCache(
            DisplayName(name),
            provider,
            options.Refresh,
            services.GetRequiredService<TimeProvider>(),
            loggerFactory.CreateLogger<CredentialCache>(),
            services.GetService<CloudCredentialsMetrics>());
        services.GetRequiredService<CredentialCacheRegistry>().Add(Source);
        _changeSubscription = monitor.OnChange(OnOptionsChanged);
    }

    /// <summary>The registration's credential source.</summary>
    public CredentialCache Source { get; }

    public async ValueTask DisposeAsync()
    {
        _changeSubscription?.Dispose();
        await Source.DisposeAsync().ConfigureAwait(false);
        ProviderFactory[] factories;
        lock (_gate)
        {
            factories = [.. _factories];
            _factories.Clear();
        }

        foreach (ProviderFactory factory in factories)
        {
            foreach (IAsyncDisposable owned in factory.OwnedResources)
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The name shown in logs, metrics and health reports: <c>(default)</c> for the unnamed registration.</summary>
    public static string DisplayName(string name) => string.IsNullOrEmpty(name) ? "(default)" : name;

    private ICredentialProvider CreateProvider(CloudCredentialsOptions options)
    {
        var factory = new ProviderFactory(
            _name,
            options,
            _services.GetRequiredService<IHttpClientFactory>(),
            _services.GetRequiredService<TimeProvider>(),
            _services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            _services.GetRequiredService<ImdsTokenCache>(),
            _services.GetRequiredService<CliConfigWriter>(),
            _services.GetService<CloudCredentialsMetrics>());
        ICredentialProvider provider = factory.Create();
        lock (_gate)
        {
            _factories.Add(factory);
        }

        return provider;
    }

    private void OnOptionsChanged(CloudCredentialsOptions options, string? name)
    {
        if (!string.Equals(name ?? Options.DefaultName, _name, StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            Source.ReplaceProvider(CreateProvider(options));
            RegistrationLog.ProviderReloaded(_logger, _name);
        }
        catch (Exception ex) when (ex is CredentialUnavailableException or OptionsValidationException)
        {
            // Invalid new settings: keep the current provider and say why (messages never carry secrets).
            RegistrationLog.ReloadRejected(_logger, _name, ex.Message);
        }
    }
}
