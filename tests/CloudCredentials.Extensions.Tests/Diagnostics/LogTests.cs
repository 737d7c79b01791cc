using CloudCredentials.Caching;
using CloudCredentials.Tests.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Diagnostics;

public sealed class LogTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CredentialCache_FullLifecycle_LogsEventsButNeverSecrets()
    {
        var capture = new FakeLogCollector();
        using ILoggerFactory factory = capture.CreateFactory();
        ILogger logger = factory.CreateLogger("CloudCredentials.Caching.CredentialCache");
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "ram_role_arn/static_ak");
        var errors = new List<Exception>();
        await using (CredentialCache cache = CreateCache(provider, time, logger: logger, registrationName: "billing"))
        {
            // fetch, background refresh, failed refresh served stale, recovery
            await cache.GetCredentialAsync();
            time.Advance(TimeSpan.FromMinutes(45));
            await cache.GetCredentialAsync();
            await cache.SettleAsync();
            provider.Failure = () => new CredentialUnavailableException("ram_role_arn/static_ak", "STS http://127.0.0.1:1 answered 500 InternalError", null);
            time.Advance(TimeSpan.FromMinutes(45));
            await cache.GetCredentialAsync();
            await cache.SettleAsync();
            provider.Failure = null;
            time.Advance(TimeSpan.FromSeconds(1));
            await cache.GetCredentialAsync();
            await cache.SettleAsync();

            // nothing valid: wrapped failure, then a credential that arrives expired
            time.Advance(TimeSpan.FromHours(3));
            provider.Failure = () => new InvalidOperationException("unexpected");
            errors.Add(await CaptureAsync(cache));
            provider.Failure = null;
            provider.Lifetime = TimeSpan.FromSeconds(1);
            errors.Add(await CaptureAsync(cache));

            // options reload, static credential (after the backoff an expired answer starts)
            provider.Lifetime = null;
            time.Advance(RefreshFailures.RequestProbeInterval);
            await cache.GetCredentialAsync();
            cache.ReplaceProvider(new FakeCredentialProvider(time, "static_ak") { Lifetime = null });
            await cache.SettleAsync();
        }

        string logged = capture.AllText() + string.Join("\n", errors.Select(e => e.ToString()));
        for (int n = 1; n <= provider.Calls + 1; n++)
        {
            logged.Should().NotContain(FakeCredentialProvider.SecretOf(n))
                .And.NotContain(FakeCredentialProvider.TokenOf(n))
                .And.NotContain(FakeCredentialProvider.KeyIdOf(n), "only the masked AccessKey ID may be logged");
        }

        logged.Should().Contain("STS.***");
        capture.GetSnapshot().Select(e => e.Id.Id).Distinct().Should().Contain([100, 101, 102, 103, 104, 105, 106]);
        capture.GetSnapshot().Should().OnlyContain(e => e.Id.Name != null);
        capture.GetSnapshot().First(e => e.Id.Id == 100).GetStructuredStateValue("Registration").Should().Be("billing");
        capture.GetSnapshot().First(e => e.Id.Id == 103).Level.Should().Be(LogLevel.Warning);
        capture.GetSnapshot().First(e => e.Id.Id == 104).Level.Should().Be(LogLevel.Warning, "a failure streak warns once (issue 10), it is no longer an error");
    }

    private static async Task<Exception> CaptureAsync(CredentialCache cache)
    {
        try
        {
            await cache.GetCredentialAsync();
        }
        catch (CredentialUnavailableException ex)
        {
            return ex;
        }

        throw new InvalidOperationException("expected a failure");
    }
}
