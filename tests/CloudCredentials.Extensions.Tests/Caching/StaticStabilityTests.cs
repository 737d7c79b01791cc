using CloudCredentials.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Caching;

/// <summary>
/// Static stability (AWS IMDS and container only): a marked credential is served past its expiration when the refresh
/// fails or the source answers an expired one, with one warning per extension and the next attempt in 5–10 minutes.
/// Unmarked credentials are still never served expired.
/// </summary>
public sealed class StaticStabilityTests
{
    private const int ExtendedEvent = 108;
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeLogCollector _logs = new();

    private static Exception Outage() => new CredentialUnavailableException("aws/instance_metadata", "could not GET http://127.0.0.1:9/: timed out", null);

    private CredentialCache Cache(ICredentialProvider provider, double jitter = 1.0)
    {
        CredentialCache cache = CreateCache(provider, _time, logger: new FakeLogger(_logs));
        cache.Jitter = () => jitter;
        return cache;
    }

    private FakeCredentialProvider Provider(bool marked, TimeSpan? answeredLifetime = null)
    {
        var provider = new FakeCredentialProvider(_time, "aws/instance_metadata");
        provider.Factory = n =>
        {
            var credential = new CloudCredential("instance_metadata", "aws/instance_metadata")
            {
                AccessKeyId = FakeCredentialProvider.KeyIdOf(n),
                AccessKeySecret = FakeCredentialProvider.SecretOf(n),
                SecurityToken = FakeCredentialProvider.TokenOf(n),
                Expiration = _time.GetUtcNow() + (answeredLifetime ?? TimeSpan.FromHours(1)),
            };
            return marked ? credential.WithStaticStability() : credential;
        };
        return provider;
    }

    private int Warnings => _logs.GetSnapshot().Count(r => r.Id.Id == ExtendedEvent);

    [Fact]
    public async Task Unmarked_FailedRefreshPastExpiry_IsNeverServedExpired()
    {
        FakeCredentialProvider provider = Provider(marked: false);
        await using CredentialCache cache = Cache(provider);
        await cache.GetCredentialAsync();
        provider.Failure = Outage;

        _time.Advance(TimeSpan.FromMinutes(61));

        await cache.Awaiting(c => c.GetCredentialAsync().AsTask()).Should().ThrowAsync<CredentialUnavailableException>();
        Warnings.Should().Be(0);
    }

    [Fact]
    public async Task Unmarked_AlreadyExpiredAnswer_IsNeverServed()
    {
        await using CredentialCache cache = Cache(Provider(marked: false, answeredLifetime: TimeSpan.FromMinutes(-1)));

        await cache.Awaiting(c => c.GetCredentialAsync().AsTask()).Should().ThrowAsync<CredentialUnavailableException>()
            .WithMessage("*already expired*");
        Warnings.Should().Be(0);
    }

    [Fact]
    public async Task Marked_FailedRefreshPastExpiry_KeepsServing_WarnsOncePerExtension_RetriesIn5To10Minutes()
    {
        FakeCredentialProvider provider = Provider(marked: true);
        await using CredentialCache cache = Cache(provider, jitter: 1.0);
        CloudCredential first = await cache.GetCredentialAsync();
        provider.Failure = Outage;
        _time.Advance(TimeSpan.FromMinutes(61));

        (await cache.GetCredentialAsync()).Should().BeSameAs(first, "the expired credential is kept while the source is down");
        Warnings.Should().Be(1);
        cache.NextRefreshAt.Should().Be(_time.GetUtcNow() + TimeSpan.FromMinutes(10));
        int calls = provider.Calls;

        for (int i = 0; i < 9; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        }

        provider.Calls.Should().Be(calls, "no attempt before the extension ends");
        Warnings.Should().Be(1, "one warning per extension, not per call");

        _time.Advance(TimeSpan.FromMinutes(1));
        (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        await cache.SettleAsync();
        provider.Calls.Should().Be(calls + 1);
        Warnings.Should().Be(2);

        provider.Failure = null;
        _time.Advance(TimeSpan.FromMinutes(10));
        await cache.GetCredentialAsync();
        await cache.SettleAsync();
        CloudCredential fresh = await cache.GetCredentialAsync();
        fresh.Should().NotBeSameAs(first);
        fresh.Expiration.Should().BeAfter(_time.GetUtcNow());
        Warnings.Should().Be(2);
        _logs.AllText().Should().NotContain(FakeCredentialProvider.SecretOf(1)).And.NotContain(FakeCredentialProvider.TokenOf(1));
    }

    [Theory]
    [InlineData(0.0, 5)]
    [InlineData(0.5, 7.5)]
    [InlineData(1.0, 10)]
    public async Task Marked_AlreadyExpiredAnswer_IsServed_AndRetriedIn5To10Minutes(double jitter, double minutes)
    {
        FakeCredentialProvider provider = Provider(marked: true, answeredLifetime: TimeSpan.FromMinutes(-3));
        await using CredentialCache cache = Cache(provider, jitter);

        CloudCredential served = await cache.GetCredentialAsync();

        served.Expiration.Should().BeBefore(_time.GetUtcNow());
        Warnings.Should().Be(1);
        cache.NextRefreshAt.Should().Be(_time.GetUtcNow() + TimeSpan.FromMinutes(minutes));
        for (int i = 0; i < 20; i++)
        {
            (await cache.GetCredentialAsync()).Should().BeSameAs(served);
        }

        provider.Calls.Should().Be(1, "three (or any number of) calls with an expired credential ask the source once");
    }

    [Fact]
    public async Task Marked_SurvivesAChainThatRenamesTheCredential()
    {
        FakeCredentialProvider inner = Provider(marked: true);
        await using CredentialCache cache = Cache(new RenamingChain(inner));
        CloudCredential first = await cache.GetCredentialAsync();
        first.ProviderName.Should().Be("aws/default/instance_metadata");
        inner.Failure = Outage;
        _time.Advance(TimeSpan.FromMinutes(61));

        (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        Warnings.Should().Be(1);
    }

    [Fact]
    public async Task Marked_FailureBeforeExpiry_IsOrdinaryStaleIfError_WithoutExtension()
    {
        FakeCredentialProvider provider = Provider(marked: true);
        await using CredentialCache cache = Cache(provider);
        CloudCredential first = await cache.GetCredentialAsync();
        provider.Failure = Outage;
        _time.Advance(TimeSpan.FromMinutes(46));

        (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        await cache.SettleAsync();

        Warnings.Should().Be(0, "the credential is still valid: nothing is extended yet");
        cache.NextRefreshAt.Should().BeBefore(_time.GetUtcNow() + TimeSpan.FromMinutes(1));
    }

    /// <summary>A chain member's rename, as the AWS default chain does it.</summary>
    private sealed class RenamingChain(ICredentialProvider inner) : ICredentialProvider
    {
        public string ProviderName => "aws/default";

        public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken) =>
            (await inner.FetchAsync(cancellationToken)).WithProviderName("aws/default/instance_metadata");
    }
}
