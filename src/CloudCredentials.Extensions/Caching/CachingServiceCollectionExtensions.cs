using CloudCredentials.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CloudCredentials.Caching;

/// <summary>Registers the shared refresh infrastructure behind every credential registration.</summary>
internal static class CachingServiceCollectionExtensions
{
    /// <summary>
    /// Adds, once however often it is called: <see cref="TimeProvider.System"/> (unless a
    /// <see cref="TimeProvider"/> is registered), logging and metrics, <see cref="CloudCredentialsMetrics"/>, the
    /// <see cref="CredentialCacheRegistry"/> (also as the health check's status source) and ONE
    /// <see cref="CredentialRefreshService"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The <paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddCloudCredentialsRefreshInfrastructure(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CloudCredentialsMetrics>();
        services.TryAddSingleton(static sp => new CredentialCacheRegistry(sp, sp.GetServices<CredentialCacheRegistration>()));
        services.TryAddSingleton<ICredentialCacheStatusSource>(static sp => sp.GetRequiredService<CredentialCacheRegistry>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CredentialRefreshService>());
        return services;
    }
}
