using CloudCredentials.Caching;
using Microsoft.Extensions.Time.Testing;

using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Caching;

/// <summary>
/// Regression tests for issue 9 items 1, 2, 5 and 6: no expired credential when timers cannot run, every fetch bounded
/// by FetchTimeout, an already-expired answer backed off, and recovery seen within seconds with nothing valid cached.
/// </summary>
public sealed class CredentialCacheGuaranteeTests
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetCredentialAsync_AfterDispose_ThrowsObjectDisposedInsteadOfServingTheCachedCredential()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        CredentialCache cache = CreateCache(provider, time);
        ICredentialSource source = cache;
        await source.GetCredentialAsync();

        cache.Dispose();

        await FluentActions.Awaiting(async () => await source.GetCredentialAsync()).Should().ThrowAsync<ObjectDisposedException>();
        time.Advance(TimeSpan.FromHours(2));
        await FluentActions.Awaiting(async () => await source.GetCredentialAsync()).Should().ThrowAsync<ObjectDisposedException>();
        provider.Calls.Should().Be(1);
    }

    [Fact]
    public async Task GetCredentialAsync_ClockPastExpiryButTimersNeverFire_DoesNotServeTheExpiredCredential()
    {
        var fake = new FakeTimeProvider(Start);
        var time = new TimerlessTimeProvider(fake);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);
        CloudCredential first = await cache.GetCredentialAsync();

        fake.Advance(TimeSpan.FromMinutes(50)); // past the refresh point (45 min), before expiry: served, refreshed in the background
        (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        await cache.SettleAsync();
        provider.Calls.Should().Be(2, "the refresh point is seen without the phase timer");

        fake.Advance(TimeSpan.FromHours(3)); // past the expiry of both credentials
        for (int i = 0; i < 10; i++)
        {
            CloudCredential served = await cache.GetCredentialAsync();
            served.Expiration.Should().BeAfter(fake.GetUtcNow(), "an expired credential is never served");
        }

        provider.Calls.Should().Be(3);
    }

    [Fact]
    public async Task GetCredentialAsync_WallClockJumpsPastExpiryWithNonSystemTimeProvider_DoesNotServeTheExpiredCredential()
    {
        // Timers of this provider run on the real monotonic clock (TimeProvider's default CreateTimer): a jump of its
        // wall clock moves no timer, as with a custom clock in production.
        var time = new JumpingTimeProvider();
        var provider = new FakeCredentialProvider(time) { Lifetime = TimeSpan.FromSeconds(60) };
        await using CredentialCache cache = CreateCache(provider, time);
        CloudCredential first = await cache.GetCredentialAsync();

        time.Offset = TimeSpan.FromSeconds(90);

        for (int i = 0; i < 100; i++)
        {
            CloudCredential served = await cache.GetCredentialAsync();
            served.Should().NotBeSameAs(first, "the first credential expired when the wall clock jumped");
            served.Expiration.Should().BeAfter(time.GetUtcNow());
        }

        provider.Calls.Should().Be(2);
    }

    [Fact]
    public async Task GetCredentialAsync_ProviderBlocksSynchronouslyBeforeItsFirstAwait_FailsAfterFetchTimeout()
    {
        var time = new FakeTimeProvider(Start);
        using var release = new ManualResetEventSlim(false);
        var provider = new BlockingProvider(release);
        await using CredentialCache cache = CreateCache(provider, time, new CredentialRefreshOptions { FetchTimeout = TimeSpan.FromSeconds(10) });
        try
        {
            // On a pool thread so a regression hangs that thread, not the test.
            Task<CloudCredential> call = Task.Run(() => cache.GetCredentialAsync().AsTask());
            await provider.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

            time.Advance(TimeSpan.FromSeconds(10));

            // A hang guard only (a regression never completes); the timeout itself runs on the fake clock.
            Func<Task> wait = () => call.WaitAsync(TimeSpan.FromSeconds(30));
            (await wait.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("FetchTimeout");
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task GetCredentialAsync_ProviderAnswersWithAnExpiredCredential_BacksOffInsteadOfAskingOnEveryCall()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "ram_role_arn")
        {
            Factory = n => new CloudCredential(CredentialTypes.Sts, "ram_role_arn")
            {
                AccessKeyId = FakeCredentialProvider.KeyIdOf(n),
                AccessKeySecret = FakeCredentialProvider.SecretOf(n),
                SecurityToken = FakeCredentialProvider.TokenOf(n),
                Expiration = time.GetUtcNow() - TimeSpan.FromSeconds(30),
            },
        };
        await using CredentialCache cache = CreateCache(provider, time);

        var messages = new List<string>();
        for (int i = 0; i < 100; i++)
        {
            messages.Add((await FluentActions.Awaiting(async () => await cache.GetCredentialAsync())
                .Should().ThrowAsync<CredentialUnavailableException>()).Which.Message);
        }

        provider.Calls.Should().Be(1, "100 callers at the same instant must not each ask the upstream service again");
        messages.Should().OnlyContain(m => m.Contains("already expired") && m.Contains("clock"));
        messages[0].Should().Contain("this machine's clock").And.Contain("credential source's clock");

        time.Advance(TimeSpan.FromSeconds(1)); // the first backoff (RetryBaseDelay, no jitter)
        await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
        provider.Calls.Should().Be(2, "after the backoff the next caller tries again");
    }

    [Fact]
    public async Task GetCredentialAsync_NothingValidCachedAfterLongOutage_RecoveryIsSeenWithinFiveSeconds()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time, "ram_role_arn")
        {
            Failure = () => new CredentialUnavailableException("ram_role_arn", "STS answered 503 (Service Unavailable)", null)
            {
                StatusCode = System.Net.HttpStatusCode.ServiceUnavailable,
            },
        };
        await using CredentialCache cache = CreateCache(provider, time);

        // A 150 s outage with a caller every second; it ends right after an attempt failed.
        int seconds = 0;
        while (seconds < 150 || provider.Calls == 0 || provider.CallTimes[^1] != time.GetUtcNow())
        {
            await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
            if (seconds >= 150 && provider.CallTimes[^1] == time.GetUtcNow())
            {
                break;
            }

            time.Advance(TimeSpan.FromSeconds(1));
            seconds++;
        }

        cache.GetStatus().ConsecutiveFailures.Should().BeGreaterThanOrEqualTo(7, "the backoff grew to RetryMaxDelay during the outage");
        provider.Calls.Should().BeLessThanOrEqualTo((seconds / 5) + 5, "at most one probe every 5 s reached the failing service");

        provider.Failure = null; // STS is healthy again
        DateTimeOffset recovered = time.GetUtcNow();
        CloudCredential? credential = null;
        while (credential is null && time.GetUtcNow() - recovered <= TimeSpan.FromSeconds(60))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            try
            {
                credential = await cache.GetCredentialAsync();
            }
            catch (CredentialUnavailableException)
            {
            }
        }

        credential.Should().NotBeNull();
        (time.GetUtcNow() - recovered).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(5), "a probe goes through at least every 5 s while nothing valid is cached");
    }

    /// <summary>A fake clock whose timers never fire (a starved or stopped timer queue).</summary>
    private sealed class TimerlessTimeProvider(FakeTimeProvider inner) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverTimer();

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>The system clock shifted by <see cref="Offset"/>; timers are the system's.</summary>
    private sealed class JumpingTimeProvider : TimeProvider
    {
        private long _offsetTicks;

        public TimeSpan Offset
        {
            get => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));
            set => Volatile.Write(ref _offsetTicks, value.Ticks);
        }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }

    /// <summary>A provider that blocks its caller's thread before its first await, ignoring its token.</summary>
    private sealed class BlockingProvider(ManualResetEventSlim release) : ICredentialProvider
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string ProviderName => "blocking";

        public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            release.Wait(TimeSpan.FromMinutes(2));
            throw new CredentialUnavailableException("blocking", "released", null);
        }
    }
}
