using CloudCredentials.Caching;
using CloudCredentials.Diagnostics;
using CloudCredentials.Tests.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Diagnostics;

public sealed class CloudCredentialsHealthCheckTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CheckHealthAsync_NoRegistrations_Healthy()
    {
        HealthCheckResult result = await CheckAsync(new CredentialCacheRegistry());

        result.Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task CheckHealthAsync_ValidAndNotYetFetched_Healthy()
    {
        var time = new FakeTimeProvider(Start);
        var registry = new CredentialCacheRegistry();
        await using CredentialCache valid = CreateCache(new FakeCredentialProvider(time), time, registrationName: "valid");
        await using CredentialCache cold = CreateCache(new FakeCredentialProvider(time), time, registrationName: "cold");
        registry.Add(valid);
        registry.Add(cold);
        await valid.GetCredentialAsync();

        HealthCheckResult result = await CheckAsync(registry);

        result.Status.Should().Be(HealthStatus.Healthy);
        result.Data.Should().ContainKeys("valid", "cold");
        ((string)result.Data["valid"]).Should().Contain("2026-01-01T01:00:00Z");
    }

    [Fact]
    public async Task CheckHealthAsync_ServingStaleAfterFailures_Degraded()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        var registry = new CredentialCacheRegistry();
        await using CredentialCache cache = CreateCache(provider, time, registrationName: "billing");
        registry.Add(cache);
        await cache.GetCredentialAsync();
        provider.Failure = () => new CredentialUnavailableException("fake", "STS answered 503 ServiceUnavailable", null);
        time.Advance(TimeSpan.FromMinutes(45));
        await cache.GetCredentialAsync();
        await cache.SettleAsync();

        HealthCheckResult result = await CheckAsync(registry);

        result.Status.Should().Be(HealthStatus.Degraded);
        result.Description.Should().Contain("billing").And.Contain("503 ServiceUnavailable").And.Contain("1 failed refresh attempt");
    }

    [Fact]
    public async Task CheckHealthAsync_NothingValidAfterFailure_FailureStatusWithoutSecrets()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        var registry = new CredentialCacheRegistry();
        await using CredentialCache cache = CreateCache(provider, time, registrationName: "billing");
        registry.Add(cache);
        await cache.GetCredentialAsync();
        time.Advance(TimeSpan.FromHours(2));
        (await CheckAsync(registry)).Status.Should().Be(HealthStatus.Healthy, "expired without a failure: the check fetches a new one");
        provider.Failure = () => new CredentialUnavailableException("fake", "endpoint refused the connection", null);
        time.Advance(TimeSpan.FromHours(2)); // the credential the check fetched expires too
        await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();

        HealthCheckResult unhealthy = await CheckAsync(registry);
        HealthCheckResult degradedByChoice = await CheckAsync(registry, HealthStatus.Degraded);

        unhealthy.Status.Should().Be(HealthStatus.Unhealthy);
        unhealthy.Description.Should().Contain("refused the connection");
        degradedByChoice.Status.Should().Be(HealthStatus.Degraded);
        string everything = unhealthy.Description + string.Join(";", unhealthy.Data.Values);
        everything.Should().NotContain(FakeCredentialProvider.SecretOf(1)).And.NotContain(FakeCredentialProvider.KeyIdOf(1));
    }

    [Fact]
    public async Task AddCloudCredentialsCheck_ThroughHealthCheckService_ReportsRegistryCaches()
    {
        var time = new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddCloudCredentialsRefreshInfrastructure();
        services.AddHealthChecks().AddCloudCredentialsCheck(tags: ["ready"]);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var failing = new FakeCredentialProvider(time) { Failure = () => new CredentialUnavailableException("fake", "nope", null) };
        await using CredentialCache cache = CreateCache(failing, time, registrationName: "main");
        provider.GetRequiredService<CredentialCacheRegistry>().Add(cache);
        await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries.Should().ContainKey("cloud-credentials");
        report.Entries["cloud-credentials"].Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries["cloud-credentials"].Tags.Should().Contain("ready");
    }

    [Fact]
    public async Task AddCloudCredentialsCheck_WithoutInfrastructure_Healthy()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddCloudCredentialsCheck("creds");
        await using ServiceProvider provider = services.BuildServiceProvider();

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries["creds"].Status.Should().Be(HealthStatus.Healthy);
    }

    private static Task<HealthCheckResult> CheckAsync(CredentialCacheRegistry registry, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        var check = new CloudCredentialsHealthCheck(registry);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("cloud-credentials", check, failureStatus, null) };
        return check.CheckHealthAsync(context);
    }
}
