using CloudCredentials.Caching;
using Microsoft.Extensions.Time.Testing;

using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Caching;

/// <summary>
/// The refresh service decides from a schedule it read a moment before it asks the cache: when a caller refreshed
/// meanwhile, the scheduled refresh must not fetch the fresh credential again (a duplicate STS call that, in the
/// QuickStart story, landed just before the outage and hid it).
/// </summary>
public sealed class ScheduledRefreshTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RefreshIfDueAsync_CallerAlreadyRefreshed_DoesNotFetchAgain()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);
        await cache.GetCredentialAsync();
        time.Advance(TimeSpan.FromMinutes(46)); // past the refresh point of a one-hour credential
        DateTimeOffset? scheduled = cache.NextRefreshAt;

        await cache.GetCredentialAsync(); // a caller starts the background refresh first
        await cache.SettleAsync();
        await cache.RefreshIfDueAsync(CancellationToken.None); // the service acts on the schedule it read before

        scheduled.Should().BeOnOrBefore(time.GetUtcNow(), "the refresh was due when the service looked");
        provider.Calls.Should().Be(2, "the caller's refresh produced a fresh credential; the scheduled one is not fetched again");
    }

    [Fact]
    public async Task RefreshIfDueAsync_StillDue_Fetches()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);
        await cache.GetCredentialAsync();
        time.Advance(TimeSpan.FromMinutes(46));

        await cache.RefreshIfDueAsync(CancellationToken.None);

        provider.Calls.Should().Be(2);
    }
}
