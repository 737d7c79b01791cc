using System.Diagnostics.Metrics;
using CloudCredentials.Caching;
using CloudCredentials.Diagnostics;
using CloudCredentials.Tests.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
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
        using var count = new MetricCollector<long>(metrics.Meter, CloudCredentialsMetrics.RefreshCountName);
        using var failures = new MetricCollector<long>(metrics.Meter, CloudCredentialsMetrics.RefreshFailuresName);
        using var duration = new MetricCollector<double>(metrics.Meter, CloudCredentialsMetrics.RefreshDurationName);
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

        count.GetMeasurementSnapshot().Should().HaveCount(2)
            .And.OnlyContain(m => m.ContainsTags(new KeyValuePair<string, object?>("cloudcredentials.registration", "billing"), new KeyValuePair<string, object?>("cloudcredentials.provider", "ecs_ram_role")));
        CollectedMeasurement<long> failure = failures.GetMeasurementSnapshot().Should().ContainSingle().Subject;
        failure.Tags["error.type"].Should().Be(nameof(CredentialUnavailableException));
        duration.GetMeasurementSnapshot().Select(m => m.Value).Should().Equal(2.0, 0.0);
        duration.Instrument!.Unit.Should().Be("s");
    }

    [Fact]
    public async Task TimeToExpiryGauge_TrackedCaches_ReportsSecondsLeftUntilDisposed()
    {
        using var metrics = new CloudCredentialsMetrics();
        using var timeToExpiry = new MetricCollector<double>(metrics.Meter, CloudCredentialsMetrics.TimeToExpiryName);
        var time = new FakeTimeProvider(Start);
        CredentialCache cache = CreateCache(new FakeCredentialProvider(time), time, metrics: metrics, registrationName: "main");
        await using CredentialCache staticCache = CreateCache(new FakeCredentialProvider(time) { Lifetime = null }, time, metrics: metrics, registrationName: "static");
        await cache.GetCredentialAsync();
        await staticCache.GetCredentialAsync();
        time.Advance(TimeSpan.FromMinutes(10));

        timeToExpiry.RecordObservableInstruments();
        CollectedMeasurement<double> gauge = timeToExpiry.GetMeasurementSnapshot().Should().ContainSingle().Subject;
        gauge.Value.Should().Be(3000);
        gauge.Tags["cloudcredentials.registration"].Should().Be("main");

        await cache.DisposeAsync();
        timeToExpiry.RecordObservableInstruments();
        timeToExpiry.GetMeasurementSnapshot().Should().ContainSingle("a disposed cache is no longer observed");
    }
}
