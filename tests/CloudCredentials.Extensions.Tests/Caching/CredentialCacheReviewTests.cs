using CloudCredentials.Caching;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Time.Testing;

using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Caching;

/// <summary>Regression tests for defects found in review: hangs, request-path hammering, suspend exposure.</summary>
public sealed class CredentialCacheReviewTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetCredentialAsync_ExpirationAtMinValue_FailsInsteadOfHanging()
    {
        var time = new FakeTimeProvider(Start);
        CredentialJson.TryParseExpiration("0001-01-01T00:00:00Z", out DateTimeOffset zero).Should().BeTrue();
        var provider = new FakeCredentialProvider(time)
        {
            Factory = _ => new CloudCredential(CredentialTypes.Sts, "fake") { AccessKeyId = "STS.AK", AccessKeySecret = "s", SecurityToken = "t", Expiration = zero },
        };
        await using CredentialCache cache = CreateCache(provider, time);

        Func<Task> call = () => cache.GetCredentialAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        (await call.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("expired");
    }

    [Fact]
    public async Task GetCredentialAsync_UpstreamHttpErrorWithNothingCached_CallersBackOffInsteadOfCallingAgain()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "ram_role_arn")
        {
            Failure = () => new CredentialUnavailableException("ram_role_arn", "STS answered 403 (Forbidden), Code NoPermission", null)
            {
                StatusCode = System.Net.HttpStatusCode.Forbidden,
                ErrorCode = "NoPermission",
            },
        };
        await using CredentialCache cache = CreateCache(provider, time);
        cache.Jitter = () => 0;

        for (int i = 0; i < 20; i++)
        {
            var ex = (await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>()).Which;
            ex.ErrorCode.Should().Be("NoPermission");
            ex.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
        }

        provider.Calls.Should().Be(1, "callers get the failure at once until the backoff ends");

        time.Advance(TimeSpan.FromSeconds(2));
        await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
        provider.Calls.Should().Be(2, "after the backoff the next caller tries again");
    }

    [Fact]
    public async Task GetCredentialAsync_FailureWithoutHttpStatus_EveryCallTriesAgain()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "default")
        {
            Failure = () => new CredentialUnavailableException("env", "ALIBABA_CLOUD_ACCESS_KEY_ID is not set", null),
        };
        await using CredentialCache cache = CreateCache(provider, time);

        for (int i = 0; i < 3; i++)
        {
            await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
        }

        provider.Calls.Should().Be(3, "a credential configured meanwhile (an exported variable) must be found on the next call");
    }

    [Fact]
    public async Task ReplaceProvider_OldFetchFailsWithHttpErrorAfterReplace_NewProviderIsNotBlockedByOldBackoff()
    {
        var time = new FakeTimeProvider(Start);
        var oldProvider = new FakeCredentialProvider(time, "old")
        {
            Gate = new(TaskCreationOptions.RunContinuationsAsynchronously),
            Failure = () => new CredentialUnavailableException("old", "STS answered 403 (Forbidden), Code NoPermission", null)
            {
                StatusCode = System.Net.HttpStatusCode.Forbidden,
                ErrorCode = "NoPermission",
            },
        };
        await using CredentialCache cache = CreateCache(oldProvider, time);
        Task<CloudCredential> waiting = cache.GetCredentialAsync().AsTask();
        await oldProvider.WaitForCallsAsync(1);

        var fixedProvider = new FakeCredentialProvider(time, "new");
        cache.ReplaceProvider(fixedProvider);       // options reload with the fix
        oldProvider.Gate.SetResult();                // the old generation's fetch now fails with 403
        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<CredentialUnavailableException>();

        // Nothing has asked the new provider yet; the next caller should reach it.
        CloudCredential c = await cache.GetCredentialAsync();
        c.ProviderName.Should().Be("new");
        fixedProvider.Calls.Should().Be(1);
    }

    [Fact]
    public async Task Constructor_SystemClock_CapsTimerSleepSoPausesAreNoticed()
    {
        await using CredentialCache system = CreateCache(new FakeCredentialProvider(TimeProvider.System), TimeProvider.System);
        await using CredentialCache fake = CreateCache(new FakeCredentialProvider(new FakeTimeProvider(Start)), new FakeTimeProvider(Start));

        system.MaxTimerDelayInUse.Should().Be(TimeSpan.FromSeconds(10));
        fake.MaxTimerDelayInUse.Should().Be(TimeSpan.FromDays(30));
    }
}
