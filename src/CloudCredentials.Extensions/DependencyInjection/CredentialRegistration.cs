using CloudCredentials.Caching;
using CloudCredentials.Credentials;
using CloudCredentials.Diagnostics;
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
internal sealed class CredentialRegistration : IAsyncDisposable, IDisposable
{
    private readonly string _name;
    private readonly string _section;
    private readonly Func<IServiceProvider, ICredentialProvider>? _providerFactory;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly List<ProviderBuildContext> _generations = [];
    private readonly IDisposable? _changeSubscription;
    private readonly object _gate = new();

    /// <summary>Creates the registration and its provider.</summary>
    /// <param name="name">The options name (empty for the default registration).</param>
    /// <param name="section">The configuration path of its options, to name settings in errors.</param>
    /// <param name="services">The application's services.</param>
    /// <param name="providerFactory">An application's own provider, or <see langword="null"/> to build it from the options.</param>
    public CredentialRegistration(string name, string section, IServiceProvider services, Func<IServiceProvider, ICredentialProvider>? providerFactory = null)
    {
        _name = name;
        _section = section;
        _providerFactory = providerFactory;
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

    /// <summary>How many provider generations (with their inner caches) are alive: at most two after reloads.</summary>
    internal int LiveProviderGenerations
    {
        get
        {
            lock (_gate)
            {
                return _generations.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _changeSubscription?.Dispose();
        await Source.DisposeAsync().ConfigureAwait(false);
        foreach (IAsyncDisposable owned in TakeOwnedResources(keep: 0))
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Synchronous disposal, for containers disposed with <c>Dispose()</c> (console apps, tests).</summary>
    public void Dispose()
    {
        _changeSubscription?.Dispose();
        Source.Dispose();
        foreach (IAsyncDisposable owned in TakeOwnedResources(keep: 0))
        {
            if (owned is IDisposable disposable)
            {
                disposable.Dispose();
            }
            else
            {
                owned.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>
    /// Removes and returns the resources (inner signing caches) of every provider factory but the newest
    /// <paramref name="keep"/>.
    /// </summary>
    private List<IAsyncDisposable> TakeOwnedResources(int keep)
    {
        var resources = new List<IAsyncDisposable>();
        lock (_gate)
        {
            keep = Math.Min(keep, _generations.Count);
            foreach (ProviderBuildContext generation in _generations.Take(_generations.Count - keep))
            {
                resources.AddRange(generation.OwnedResources);
            }

            _generations.RemoveRange(0, _generations.Count - keep);
        }

        return resources;
    }

    /// <summary>The name shown in logs, metrics and health reports: <c>(default)</c> for the unnamed registration.</summary>
    public static string DisplayName(string name) => string.IsNullOrEmpty(name) ? "(default)" : name;

    private ICredentialProvider CreateProvider(CloudCredentialsOptions options)
    {
        // Everything that can fail (mapping, which resolves every setting) happens before any inner cache (a
        // timer-owning resource) exists.
        CredentialSpec spec = _providerFactory is { } factory ? new CustomProviderSpec(factory) : CloudOptionsMapper.Resolve(options, _section);
        var context = new ProviderBuildContext(_name, DisplayName(_name), options.Refresh, _services, options.Timeout, options.ConnectTimeout);
        ICredentialProvider provider = spec.Build(context);
        lock (_gate)
        {
            _generations.Add(context);
        }

        return provider;
    }

    private void OnOptionsChanged(CloudCredentialsOptions options, string? name)
    {
        if (!string.Equals(name ?? Options.DefaultName, _name, StringComparison.Ordinal))
        {
            return;
        }

        List<IAsyncDisposable> retired;
        try
        {
            Source.ReplaceProvider(CreateProvider(options), options.Refresh);
            RegistrationLog.ProviderReloaded(_logger, _name);

            // The replaced provider's inner caches may still serve a fetch under way: they are retired one reload
            // later, so at most two generations are alive and nothing accumulates over many reloads.
            retired = TakeOwnedResources(keep: 2);
        }
        catch (Exception ex) when (ex is CredentialUnavailableException or OptionsValidationException)
        {
            // Invalid new settings: keep the current provider and say why (messages never carry secrets).
            RegistrationLog.ReloadRejected(_logger, _name, ex.Message);
            return;
        }
        catch (ObjectDisposedException)
        {
            // The host is shutting down and disposal may already have collected the resources: release what this
            // reload just created too.
            retired = TakeOwnedResources(keep: 0);
        }

        // A fetch still under way may use a retired generation's inner caches: dispose them once it is over.
        Task pending = Source.PendingRefresh ?? Task.CompletedTask;
        _ = pending.ContinueWith(
            async _ =>
            {
                foreach (IAsyncDisposable owned in retired)
                {
                    await owned.DisposeAsync().ConfigureAwait(false);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default).Unwrap().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }
}
