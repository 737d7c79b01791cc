using CloudCredentials.Caching;
using CloudCredentials.Diagnostics;
using CloudCredentials.Tests.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Diagnostics;

/// <summary>
/// Issue 10, item 5: the health check does not report a registration healthy before anything was fetched. The first
/// check starts (or joins) the registration's shared fetch, bounded by the check's timeout, and reports its result.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class HealthCheckFirstFetchTests : IDisposable
{
    private const string Secret = "health-secret-Hq48Zt";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task FirstCheck_NothingConfigured_UnhealthyNamingTheReason()
    {
        using IHost host = await StartHostAsync(new Dictionary<string, string?>());

        HealthReportEntry entry = await CheckAsync(host.Services);

        entry.Status.Should().Be(HealthStatus.Unhealthy, "a readiness probe must not pass while no credential can be had");
        entry.Description.Should().Contain("(default)")
            .And.Contain("default chain")
            .And.Contain("ALIBABA_CLOUD_ACCESS_KEY_ID is not set");
        ((string)entry.Data["(default)"]).Should().Contain("1 failed attempt");
        await host.StopAsync();
    }

    [Fact]
    public async Task LaterCheck_CredentialConfiguredAfterAFailedCheck_Healthy()
    {
        using IHost host = await StartHostAsync(new Dictionary<string, string?>());
        (await CheckAsync(host.Services)).Status.Should().Be(HealthStatus.Unhealthy);

        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIlater").Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", Secret);
        HealthReportEntry entry = await CheckAsync(host.Services);

        entry.Status.Should().Be(HealthStatus.Healthy, "the check asks again, as a request would, instead of staying unready for ever");
        ((string)entry.Data["(default)"]).Should().Contain("valid, from default");
        await host.StopAsync();
    }

    [Fact]
    public async Task FirstCheck_ValidStaticKey_HealthyWithTheExpiry()
    {
        using IHost host = await StartHostAsync(new Dictionary<string, string?>
        {
            ["CloudCredentials:Type"] = "access_key",
            ["CloudCredentials:AccessKeyId"] = "LTAIhealth",
            ["CloudCredentials:AccessKeySecret"] = Secret,
        });

        HealthReportEntry entry = await CheckAsync(host.Services);

        entry.Status.Should().Be(HealthStatus.Healthy);
        ((string)entry.Data["(default)"]).Should().Be("valid, from static_ak, expires never");
        entry.Description.Should().NotContain(Secret);
        await host.StopAsync();
    }

    [Fact]
    public async Task FirstCheck_WithoutAStartedHost_CreatesTheRegistrationAndFetches()
    {
        var services = new ServiceCollection();
        services.AddCloudCredentials(o =>
        {
            o.Type = "access_key";
            o.AccessKeyId = "LTAIunstarted";
            o.AccessKeySecret = Secret;
        });
        services.AddHealthChecks().AddCloudCredentialsCheck();
        await using ServiceProvider provider = services.BuildServiceProvider();

        HealthReportEntry entry = await CheckAsync(provider);

        entry.Status.Should().Be(HealthStatus.Healthy);
        entry.Data.Should().ContainKey("(default)", "registrations nobody resolved yet are reported too");
        ((string)entry.Data["(default)"]).Should().StartWith("valid");
    }

    [Fact]
    public async Task FirstCheck_ProviderHangs_ReturnsAtTheCheckTimeoutAsUnhealthy()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "hanging") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var registry = new CredentialCacheRegistry();
        await using CredentialCache cache = CreateCache(provider, time, registrationName: "billing");
        registry.Add(cache);

        Task<HealthCheckResult> check = CheckAsync(registry, time, TimeSpan.FromSeconds(5));
        await provider.WaitForCallsAsync(1);
        check.IsCompleted.Should().BeFalse("the check waits for the first fetch");
        Task<CloudCredential> request = cache.GetCredentialAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(5));
        HealthCheckResult result = await check.WaitAsync(TimeSpan.FromSeconds(10));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("billing").And.Contain("hanging").And.Contain("did not finish within 5 s");
        provider.Calls.Should().Be(1, "the check and the request share one fetch");
        request.IsCompleted.Should().BeFalse("the shared fetch goes on after the check gave up waiting");

        provider.Gate!.TrySetResult();
        await request.WaitAsync(TimeSpan.FromSeconds(10));
        (await CheckAsync(registry, time, TimeSpan.FromSeconds(5))).Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task FirstCheck_ProviderHangsAndNoTimeoutSet_GivesUpAfterTenSeconds()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "hanging") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var registry = new CredentialCacheRegistry();
        await using CredentialCache cache = CreateCache(provider, time, registrationName: "billing");
        registry.Add(cache);

        Task<HealthCheckResult> check = CheckAsync(registry, time, timeout: null, HealthStatus.Degraded);
        await provider.WaitForCallsAsync(1);
        time.Advance(TimeSpan.FromSeconds(9));
        check.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(1));
        HealthCheckResult result = await check.WaitAsync(TimeSpan.FromSeconds(10));

        result.Status.Should().Be(HealthStatus.Degraded, "the registration's failure status is reported");
        result.Description.Should().Contain("did not finish within 10 s");
    }

    [Fact]
    public async Task Check_CallerCancels_ReportsWithoutWaitingForTheFetch()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "hanging") { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var registry = new CredentialCacheRegistry();
        await using CredentialCache cache = CreateCache(provider, time, registrationName: "billing");
        registry.Add(cache);
        using var cts = new CancellationTokenSource();

        Task<HealthCheckResult> check = CheckAsync(registry, time, TimeSpan.FromSeconds(30), cancellationToken: cts.Token);
        await provider.WaitForCallsAsync(1);
        await cts.CancelAsync();
        HealthCheckResult result = await check.WaitAsync(TimeSpan.FromSeconds(10));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("has not produced a credential yet");
    }

    private async Task<IHost> StartHostAsync(Dictionary<string, string?> settings)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddCloudCredentials(builder.Configuration);
        builder.Services.AddHealthChecks().AddCloudCredentialsCheck(tags: ["ready"]);
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<HealthReportEntry> CheckAsync(IServiceProvider services)
    {
        HealthReport report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return report.Entries["cloud-credentials"];
    }

    private static Task<HealthCheckResult> CheckAsync(
        CredentialCacheRegistry registry,
        TimeProvider time,
        TimeSpan? timeout,
        HealthStatus failureStatus = HealthStatus.Unhealthy,
        CancellationToken cancellationToken = default)
    {
        var check = new CloudCredentialsHealthCheck(registry, time);
        var registration = new HealthCheckRegistration("cloud-credentials", check, failureStatus, null, timeout);
        return check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, cancellationToken);
    }
}
