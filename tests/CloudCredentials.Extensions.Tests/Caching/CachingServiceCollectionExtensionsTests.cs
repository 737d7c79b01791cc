using CloudCredentials.Caching;
using CloudCredentials.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Caching;

public sealed class CachingServiceCollectionExtensionsTests
{
    [Fact]
    public void AddCloudCredentialsRefreshInfrastructure_CalledThreeTimes_RegistersOneHostedService()
    {
        var services = new ServiceCollection();

        services.AddCloudCredentialsRefreshInfrastructure();
        services.AddCloudCredentialsRefreshInfrastructure();
        services.AddCloudCredentialsRefreshInfrastructure();

        services.Count(d => d.ServiceType == typeof(IHostedService)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(CredentialCacheRegistry)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(TimeProvider)).Should().Be(1);
        using ServiceProvider provider = services.BuildServiceProvider();
        provider.GetServices<IHostedService>().OfType<CredentialRefreshService>().Should().ContainSingle();
    }

    [Fact]
    public void AddCloudCredentialsRefreshInfrastructure_Resolves_SingletonsWiredTogether()
    {
        var services = new ServiceCollection();
        services.AddCloudCredentialsRefreshInfrastructure();
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
        provider.GetRequiredService<ICredentialCacheStatusSource>().Should().BeSameAs(provider.GetRequiredService<CredentialCacheRegistry>());
        provider.GetRequiredService<CloudCredentialsMetrics>().Meter.Name.Should().Be("CloudCredentials");
    }

    [Fact]
    public void AddCloudCredentialsRefreshInfrastructure_TimeProviderAlreadyRegistered_KeepsIt()
    {
        var fake = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fake);

        services.AddCloudCredentialsRefreshInfrastructure();

        using ServiceProvider provider = services.BuildServiceProvider();
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(fake);
    }
}
