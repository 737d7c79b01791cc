using CloudCredentials.Caching;
using CloudCredentials.Diagnostics;
using CloudCredentials.Tests.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Diagnostics;

public sealed class CloudCredentialsMetricsTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RecordRefresh_SuccessAndFailure_CountsDurationAndFailuresWithTags()
    {
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new CloudCredentialsMetrics(services.GetRequiredService<IMeterFactory>());
        using var collector = new MeterCollector(metrics.Meter);
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "ecs_ram_role") { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using CredentialCache cache = CreateCache(provider, time, metrics: metrics, registrationName: "billing");

        Task<CloudCredential> first = cache.GetCredentialAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(2));
        provider.Gate.SetResult();
        await first;
        provider.Gate = null;
        provider.Failure = () => new CredentialUnavailableException("ecs_ram_role", "down", null);
        await FluentActions.Awaiting(() => cache.RefreshAsync(CancellationToken.None)).Should().ThrowAsync<CredentialUnavailableException>();

        collector.Measurements(CloudCredentialsMetrics.RefreshCountName).Should().HaveCount(2)
            .And.OnlyContain(m => (string?)m.Tag("cloudcredentials.registration") == "billing" && (string?)m.Tag("cloudcredentials.provider") == "ecs_ram_role");
        MeterCollector.Recorded failure = collector.Measurements(CloudCredentialsMetrics.RefreshFailuresName).Should().ContainSingle().Subject;
        failure.Tag("error.type").Should().Be(nameof(CredentialUnavailableException));
        collector.Measurements(CloudCredentialsMetrics.RefreshDurationName).Select(m => m.Value).Should().Equal(2.0, 0.0);
        collector.Measurements(CloudCredentialsMetrics.RefreshDurationName)[0].Instrument.Unit.Should().Be("s");
    }

    [Fact]
    public async Task TimeToExpiryGauge_TrackedCaches_ReportsSecondsLeftUntilDisposed()
    {
        using var metrics = new CloudCredentialsMetrics();
        using var collector = new MeterCollector(metrics.Meter);
        var time = new FakeTimeProvider(Start);
        CredentialCache cache = CreateCache(new FakeCredentialProvider(time), time, metrics: metrics, registrationName: "main");
        await using CredentialCache staticCache = CreateCache(new FakeCredentialProvider(time) { Lifetime = null }, time, metrics: metrics, registrationName: "static");
        await cache.GetCredentialAsync();
        await staticCache.GetCredentialAsync();
        time.Advance(TimeSpan.FromMinutes(10));

        collector.RecordObservableInstruments();
        MeterCollector.Recorded gauge = collector.Measurements(CloudCredentialsMetrics.TimeToExpiryName).Should().ContainSingle().Subject;
        gauge.Value.Should().Be(3000);
        gauge.Tag("cloudcredentials.registration").Should().Be("main");

        await cache.DisposeAsync();
        collector.RecordObservableInstruments();
        collector.Measurements(CloudCredentialsMetrics.TimeToExpiryName).Should().ContainSingle("a disposed cache is no longer observed");
    }
}
