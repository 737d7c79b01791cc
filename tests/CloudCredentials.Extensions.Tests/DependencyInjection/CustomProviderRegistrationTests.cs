using CloudCredentials.Tests.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>
/// <c>AddCloudCredentials(name, Func&lt;IServiceProvider, ICredentialProvider&gt;)</c>: an application's own provider gets
/// the same cache, background refresh, health check and error handling as the built-in types.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class CustomProviderRegistrationTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task AddCloudCredentials_CustomProvider_KeyedSourceCachesAndSingleFlights()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "vault");
        using IHost host = BuildHost(time, services => services.AddCloudCredentials("vault", _ => provider));
        await host.StartAsync();
        ICredentialSource source = host.Services.GetRequiredKeyedService<ICredentialSource>("vault");

        CloudCredential[] credentials = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => source.GetCredentialAsync().AsTask()));
        CloudCredential again = await source.GetCredentialAsync();

        provider.Calls.Should().Be(1, "32 concurrent callers and a later one share one fetch");
        credentials.Should().OnlyContain(c => ReferenceEquals(c, again));
        again.ProviderName.Should().Be("vault");
        again.AccessKeySecret.Should().Be(FakeCredentialProvider.SecretOf(1));
        await host.StopAsync();
    }

    [Fact]
    public async Task AddCloudCredentials_CustomProvider_RefreshedInTheBackgroundBeforeExpiry()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "vault");
        using IHost host = BuildHost(time, services => services.AddCloudCredentials("vault", _ => provider));
        await host.StartAsync();
        ICredentialSource source = host.Services.GetRequiredKeyedService<ICredentialSource>("vault");
        await source.GetCredentialAsync();

        // A one-hour credential is refreshed 15 minutes before it expires, by the hosted service, not by a caller.
        time.Advance(TimeSpan.FromMinutes(46));
        await provider.WaitForCallsAsync(2).WaitAsync(TimeSpan.FromSeconds(30));

        provider.CallTimes[1].Should().BeOnOrAfter(Start.AddMinutes(45)).And.BeBefore(Start.AddMinutes(60));
        await host.StopAsync();
    }

    [Fact]
    public async Task AddCloudCredentials_CustomProvider_FailureNamesProviderAndHealthCheckReportsRegistration()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "vault") { Failure = () => new CredentialUnavailableException("vault", "the vault is sealed", null) };
        using IHost host = BuildHost(time, services =>
        {
            services.AddCloudCredentials("vault", _ => provider);
            services.AddHealthChecks().AddCloudCredentialsCheck();
        });
        await host.StartAsync();
        ICredentialSource source = host.Services.GetRequiredKeyedService<ICredentialSource>("vault");

        var ex = (await FluentActions.Awaiting(async () => await source.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>()).Which;
        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        ex.ProviderName.Should().Be("vault");
        ex.Message.Should().Contain("the vault is sealed");
        report.Entries["cloud-credentials"].Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries["cloud-credentials"].Data.Should().ContainKey("vault");
        await host.StopAsync();
    }

    [Fact]
    public async Task AddCloudCredentials_CustomProvider_FactoryGetsApplicationServices()
    {
        var time = new FakeTimeProvider(Start);
        using IHost host = BuildHost(time, services =>
        {
            services.AddSingleton(new FakeCredentialProvider(time, "from-di"));
            services.AddCloudCredentials("di", sp => sp.GetRequiredService<FakeCredentialProvider>());
        });
        await host.StartAsync();

        CloudCredential credential = await host.Services.GetRequiredKeyedService<ICredentialSource>("di").GetCredentialAsync();

        credential.ProviderName.Should().Be("from-di");
        await host.StopAsync();
    }

    [Fact]
    public void AddCloudCredentials_CustomProviderFactoryReturnsNull_ClearErrorNamingTheRegistration()
    {
        var time = new FakeTimeProvider(Start);
        using IHost host = BuildHost(time, services => services.AddCloudCredentials("broken", _ => null!));

        Action resolve = () => host.Services.GetRequiredKeyedService<ICredentialSource>("broken");

        resolve.Should().Throw<InvalidOperationException>().WithMessage("*registration 'broken' returned null*");
    }

    [Fact]
    public void AddCloudCredentials_CustomProviderWithATakenName_Throws()
    {
        var services = new ServiceCollection();
        services.AddCloudCredentials("billing", o => o.Type = "access_key");

        Action add = () => services.AddCloudCredentials("billing", _ => new FakeCredentialProvider(TimeProvider.System));

        add.Should().Throw<InvalidOperationException>().WithMessage("*'billing' already exists*");
    }

    private static IHost BuildHost(TimeProvider time, Action<IServiceCollection> configure)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(time);
        configure(builder.Services);
        return builder.Build();
    }
}
