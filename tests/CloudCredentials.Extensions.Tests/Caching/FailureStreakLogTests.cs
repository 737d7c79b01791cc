using CloudCredentials.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Caching;

/// <summary>
/// Issue 10, item 6: one warning per failure streak per registration, an information line with the count when the
/// streak ends, and stack traces only at Debug.
/// </summary>
public sealed class FailureStreakLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TenFailingCalls_OneWarningNoErrorAndStackTracesOnlyAtDebug_RecoveryLogsTheCount()
    {
        var capture = new FakeLogCollector();
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "default")
        {
            Failure = () => new CredentialUnavailableException("default", "Unable to get a credential from any provider of the default chain: env: ALIBABA_CLOUD_ACCESS_KEY_ID is not set", null),
        };
        await using CredentialCache cache = CreateCache(provider, time, logger: capture.CreateFactory().CreateLogger<CredentialCache>(), registrationName: "(default)");

        for (int i = 0; i < 10; i++)
        {
            await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
        }

        provider.Calls.Should().Be(10, "each call fetched: a failure without an HTTP status is not held back");
        capture.GetSnapshot().Where(e => e.Level == LogLevel.Warning).Should().ContainSingle()
            .Which.Message.Should().Contain("'(default)'").And.Contain("ALIBABA_CLOUD_ACCESS_KEY_ID is not set");
        capture.GetSnapshot().Should().NotContain(e => e.Level >= LogLevel.Error);
        capture.GetSnapshot().Where(e => e.Exception is not null).Should().OnlyContain(e => e.Level <= LogLevel.Debug, "stack traces are Debug detail");
        capture.GetSnapshot().Where(e => e.Level == LogLevel.Debug && e.Exception is not null).Should().HaveCount(10, "each failure's details are at Debug");
        string aboveDebug = string.Concat(capture.GetSnapshot().Where(e => e.Level > LogLevel.Debug).Select(e => e.Message + e.Exception));
        aboveDebug.Length.Should().BeLessThan(1_000, "ten failed calls make one short warning, not a page per call");

        capture.Clear();
        provider.Failure = null;
        await cache.GetCredentialAsync();

        capture.GetSnapshot().Where(e => e.Id.Id == 105).Should().ContainSingle()
            .Which.Should().Match<FakeLogRecord>(e => e.Level == LogLevel.Information && e.GetStructuredStateValue("FailureCount") == "10");
        capture.GetSnapshot().Should().NotContain(e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task NewStreakAfterRecovery_WarnsAgainOnce()
    {
        var capture = new FakeLogCollector();
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time) { Failure = () => new CredentialUnavailableException("fake", "first outage", null) };
        await using CredentialCache cache = CreateCache(provider, time, logger: capture.CreateFactory().CreateLogger<CredentialCache>(), registrationName: "billing");
        for (int i = 0; i < 3; i++)
        {
            await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
        }

        provider.Failure = null;
        await cache.GetCredentialAsync();
        time.Advance(TimeSpan.FromHours(2));
        provider.Failure = () => new CredentialUnavailableException("fake", "second outage", null);
        for (int i = 0; i < 3; i++)
        {
            await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
        }

        capture.GetSnapshot().Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).Should().SatisfyRespectively(
            first => first.Should().Contain("first outage"),
            second => second.Should().Contain("second outage"));
        capture.GetSnapshot().Where(e => e.Id.Id == 105).Should().ContainSingle().Which.GetStructuredStateValue("FailureCount").Should().Be("3");
    }

    [Fact]
    public async Task BackgroundRefreshFailsWhileServingStale_OneWarningForTheStreak()
    {
        var capture = new FakeLogCollector();
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time, logger: capture.CreateFactory().CreateLogger<CredentialCache>(), registrationName: "billing");
        await cache.GetCredentialAsync();
        provider.Failure = () => new InvalidOperationException("socket closed");
        time.Advance(TimeSpan.FromMinutes(45));

        for (int i = 0; i < 5; i++)
        {
            await cache.GetCredentialAsync(); // served stale; starts a background refresh once the backoff allows
            await cache.SettleAsync();
            time.Advance(TimeSpan.FromSeconds(61));
        }

        provider.Calls.Should().Be(6);

        // The provider counts a call when it starts; the cache logs the outcome after it returns (on a pool thread).
        await Poll.UntilAsync(
            () => capture.GetSnapshot().Count(e => e.Exception is InvalidOperationException || e.Exception?.InnerException is InvalidOperationException) >= 5,
            "the five failures are logged");

        FakeLogRecord warning = capture.GetSnapshot().Where(e => e.Level >= LogLevel.Warning).Should().ContainSingle(
            "the streak warns once; logged: {0}", string.Join(" | ", capture.GetSnapshot().Select(e => $"{e.Level} {e.Id.Id} {e.Message}"))).Subject;
        warning.Id.Id.Should().Be(103);
        warning.Exception.Should().BeNull();
        warning.Message.Should().Contain("failed unexpectedly with InvalidOperationException");
        capture.GetSnapshot().Where(e => e.Exception is InvalidOperationException || e.Exception?.InnerException is InvalidOperationException)
            .Should().HaveCount(5).And.OnlyContain(e => e.Level == LogLevel.Debug, "the inner exception's stack trace is kept, at Debug");
    }
}
