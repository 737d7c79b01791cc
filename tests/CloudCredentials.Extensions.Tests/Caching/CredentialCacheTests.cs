using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CloudCredentials.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Caching;

public sealed class CredentialCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetCredentialAsync_FirstCall_FetchesOnceAndCaches()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);

        CloudCredential first = await cache.GetCredentialAsync();
        CloudCredential second = await cache.GetCredentialAsync();

        provider.Calls.Should().Be(1);
        first.AccessKeyId.Should().Be(FakeCredentialProvider.KeyIdOf(1));
        second.Should().BeSameAs(first);
    }

    [Fact]
    public async Task GetCredentialAsync_Cached_ReturnsSameInstanceSynchronously()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);
        CloudCredential first = await cache.GetCredentialAsync();

        for (int i = 0; i < 1000; i++)
        {
            cache.GetCredentialAsync().Completed().Should().BeSameAs(first);
        }

        provider.Calls.Should().Be(1);
    }

    [Fact]
    public async Task GetCredentialAsync_BeforeRefreshPoint_ReadsTheClockOnceAndAllocatesNothing()
    {
        var time = new ObservedTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);
        await cache.GetCredentialAsync();
        time.Advance(TimeSpan.FromMinutes(44)); // still before the refresh point (45 min)
        int readsBefore = time.Reads;

        for (int i = 0; i < 100; i++)
        {
            _ = cache.GetCredentialAsync();
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            _ = ResultOf(cache.GetCredentialAsync());
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        time.Reads.Should().Be(readsBefore + 10_100, "the hot path checks its deadline with one clock read (an injected clock: its wall clock)");
        allocated.Should().Be(0, "the hot path must not allocate");
    }

    [Fact]
    public async Task GetCredentialAsync_ConcurrentCallersAtExpiry_FetchOnce()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);
        await cache.GetCredentialAsync();
        time.Advance(TimeSpan.FromHours(2)); // expired
        provider.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var calls = new Task<CloudCredential>[1000];
        Parallel.For(0, calls.Length, i => calls[i] = cache.GetCredentialAsync().AsTask());
        await provider.WaitForCallsAsync(2);
        calls.Should().OnlyContain(t => !t.IsCompleted, "an expired credential is never served");

        provider.Gate.SetResult();
        CloudCredential[] results = await Task.WhenAll(calls);

        provider.Calls.Should().Be(2, "1,000 concurrent callers share one upstream call");
        results.Should().OnlyContain(c => ReferenceEquals(c, results[0]));
        results[0].AccessKeyId.Should().Be(FakeCredentialProvider.KeyIdOf(2));
    }

    [Fact]
    public async Task GetCredentialAsync_NothingCachedConcurrentCallers_FetchOnce()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time) { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using CredentialCache cache = CreateCache(provider, time);

        var calls = new Task<CloudCredential>[1000];
        Parallel.For(0, calls.Length, i => calls[i] = cache.GetCredentialAsync().AsTask());
        provider.Gate.SetResult();
        CloudCredential[] results = await Task.WhenAll(calls);

        provider.Calls.Should().Be(1);
        results.Should().OnlyContain(c => ReferenceEquals(c, results[0]));
    }

    [Fact]
    public async Task GetCredentialAsync_PastRefreshPoint_ServesCurrentAndRefreshesInBackground()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);
        CloudCredential first = await cache.GetCredentialAsync();
        provider.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        time.Advance(TimeSpan.FromMinutes(45)); // the refresh point of a 1 h credential
        provider.Calls.Should().Be(1, "the cache's timer only moves its state; it does not fetch by itself");

        var served = new List<CloudCredential>();
        for (int i = 0; i < 50; i++)
        {
            served.Add(cache.GetCredentialAsync().Completed());
        }

        await provider.WaitForCallsAsync(2);
        served.Should().OnlyContain(c => ReferenceEquals(c, first));
        provider.Calls.Should().Be(2, "at most one background refresh");

        provider.Gate.SetResult();
        await cache.SettleAsync();
        CloudCredential refreshed = await cache.GetCredentialAsync();
        refreshed.AccessKeyId.Should().Be(FakeCredentialProvider.KeyIdOf(2));
        provider.Calls.Should().Be(2);
    }

    [Fact]
    public async Task GetCredentialAsync_RefreshFails_ServesStaleUntilExpiryThenThrows()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);
        CloudCredential first = await cache.GetCredentialAsync();
        var failure = new CredentialUnavailableException("fake", "http://127.0.0.1:1/ answered 503 ServiceUnavailable", null);
        provider.Failure = () => failure;

        time.Advance(TimeSpan.FromMinutes(45));
        (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        await cache.SettleAsync();
        provider.Calls.Should().Be(2);

        // Right up to Expiration − ClockSkew the stale credential is served...
        time.SetUtcNow(first.Expiration!.Value - TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        await cache.SettleAsync();

        // ...and never after.
        time.Advance(TimeSpan.FromTicks(1));
        Func<Task> act = async () => await cache.GetCredentialAsync();
        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Should().BeSameAs(failure);
    }

    [Fact]
    public async Task GetCredentialAsync_StaticCredential_CachedForeverWithoutTimers()
    {
        var time = new ObservedTimeProvider(Start);
        var provider = new FakeCredentialProvider(time) { Lifetime = null };
        await using CredentialCache cache = CreateCache(provider, time);

        CloudCredential first = await cache.GetCredentialAsync();
        time.ActiveTimerCount.Should().Be(0);
        cache.NextRefreshAt.Should().BeNull();

        time.Advance(TimeSpan.FromDays(3650));
        cache.GetCredentialAsync().Completed().Should().BeSameAs(first);
        provider.Calls.Should().Be(1);
        time.ActiveTimerCount.Should().Be(0);
    }

    [Fact]
    public async Task GetCredentialAsync_RepeatedFailures_BackoffScheduleFollowedExactlyAndCapped()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time); // jitter pinned to the full delay
        CloudCredential first = await cache.GetCredentialAsync();
        provider.Failure = () => new CredentialUnavailableException("fake", "down", null);
        time.Advance(TimeSpan.FromMinutes(45));

        (await cache.GetCredentialAsync()).Should().BeSameAs(first); // attempt 1 (fails)
        await cache.SettleAsync();

        int[] expectedDelays = [1, 2, 4, 8, 16, 32, 60, 60, 60];
        foreach (int seconds in expectedDelays)
        {
            TimeSpan delay = TimeSpan.FromSeconds(seconds);
            DateTimeOffset lastAttempt = provider.CallTimes[^1];
            cache.NextRefreshAt.Should().Be(lastAttempt + delay);
            int calls = provider.Calls;

            time.Advance(delay - TimeSpan.FromTicks(1));
            (await cache.GetCredentialAsync()).Should().BeSameAs(first);
            await cache.SettleAsync();
            provider.Calls.Should().Be(calls, $"no retry before the {seconds} s backoff has passed");

            time.Advance(TimeSpan.FromTicks(1));
            (await cache.GetCredentialAsync()).Should().BeSameAs(first);
            await cache.SettleAsync();
            provider.Calls.Should().Be(calls + 1, $"one retry once the {seconds} s backoff has passed");
        }

        IReadOnlyList<DateTimeOffset> attempts = provider.CallTimes;
        attempts.Skip(1).Zip(attempts.Skip(2), (a, b) => (b - a).TotalSeconds)
            .Should().Equal(expectedDelays.Select(d => (double)d));
    }

    [Fact]
    public void RetryDelay_DefaultJitter_StaysWithinHalfAndFullDelay()
    {
        var options = new CredentialRefreshOptions();
        for (int failures = 1; failures < 12; failures++)
        {
            double full = Math.Min(Math.Pow(2, failures - 1), 60);
            for (int i = 0; i < 200; i++)
            {
                TimeSpan delay = RefreshSchedule.GetRetryDelay(failures, options.RetryBaseDelay, options.RetryMaxDelay, Random.Shared.NextDouble());
                delay.TotalSeconds.Should().BeInRange(full / 2, full);
            }
        }
    }

    [Fact]
    public async Task GetCredentialAsync_OneWaiterCancels_SharedRefreshContinues()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time) { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using CredentialCache cache = CreateCache(provider, time);
        using var cts = new CancellationTokenSource();

        Task<CloudCredential> cancelled = cache.GetCredentialAsync(cts.Token).AsTask();
        Task<CloudCredential> other = cache.GetCredentialAsync().AsTask();
        await provider.WaitForCallsAsync(1);
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => cancelled).Should().ThrowAsync<OperationCanceledException>();
        provider.LastToken.IsCancellationRequested.Should().BeFalse("a caller's cancellation must not cancel the shared fetch");
        other.IsCompleted.Should().BeFalse();

        provider.Gate.SetResult();
        (await other).AccessKeyId.Should().Be(FakeCredentialProvider.KeyIdOf(1));
        provider.Calls.Should().Be(1);
    }

    [Fact]
    public async Task GetCredentialAsync_ProviderHangs_FailsAtFetchTimeout()
    {
        var time = new FakeTimeProvider(Start);
        var hang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var provider = new FakeCredentialProvider(time) { Gate = hang, HonorCancellation = false };
        var options = new CredentialRefreshOptions { FetchTimeout = TimeSpan.FromSeconds(30) };
        await using CredentialCache cache = CreateCache(provider, time, options);

        Task<CloudCredential> call = cache.GetCredentialAsync().AsTask();
        await provider.WaitForCallsAsync(1);
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Yield();
        call.IsCompleted.Should().BeFalse();

        time.Advance(TimeSpan.FromSeconds(1));
        CredentialUnavailableException error = (await FluentActions.Awaiting(() => call).Should().ThrowAsync<CredentialUnavailableException>()).Which;
        error.ProviderName.Should().Be("fake");
        error.Message.Should().Contain("30 s").And.Contain("FetchTimeout");
        provider.LastToken.IsCancellationRequested.Should().BeTrue("the provider is told to give up");

        // The next caller starts a new attempt rather than waiting on the hung one.
        provider.Gate = null;
        (await cache.GetCredentialAsync()).AccessKeyId.Should().Be(FakeCredentialProvider.KeyIdOf(2));
        hang.SetResult();
    }

    [Fact]
    public async Task GetCredentialAsync_CredentialExpiredOnArrival_RejectedWithProviderExpirationAndNow()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time)
        {
            Factory = n => new CloudCredential(CredentialTypes.Sts, "fake/inner")
            {
                AccessKeyId = FakeCredentialProvider.KeyIdOf(n),
                AccessKeySecret = FakeCredentialProvider.SecretOf(n),
                SecurityToken = FakeCredentialProvider.TokenOf(n),
                Expiration = Start + TimeSpan.FromSeconds(3), // less than the 5 s clock skew left
            },
        };
        await using CredentialCache cache = CreateCache(provider, time);

        CredentialUnavailableException error = (await FluentActions.Awaiting(async () => await cache.GetCredentialAsync())
            .Should().ThrowAsync<CredentialUnavailableException>()).Which;

        error.ProviderName.Should().Be("fake/inner");
        error.Message.Should().Contain("2026-01-01T00:00:03Z").And.Contain("2026-01-01T00:00:00Z").And.Contain("expired");
        error.Message.Should().NotContain(FakeCredentialProvider.SecretOf(1)).And.NotContain(FakeCredentialProvider.TokenOf(1));
        cache.NextRefreshAt.Should().BeNull();

        // Not cached as valid, and an upstream answer: the next call at once gets the failure, after the backoff it asks again.
        await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
        provider.Calls.Should().Be(1);
        time.Advance(TimeSpan.FromSeconds(1));
        await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
        provider.Calls.Should().Be(2);
    }

    [Fact]
    public async Task GetCredentialAsync_TwentySecondCredential_RefreshesAtTenSeconds()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time) { Lifetime = TimeSpan.FromSeconds(20) };
        await using CredentialCache cache = CreateCache(provider, time);
        CloudCredential first = await cache.GetCredentialAsync();
        cache.NextRefreshAt.Should().Be(Start + TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        provider.Calls.Should().Be(1);

        time.Advance(TimeSpan.FromMilliseconds(1));
        (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        await cache.SettleAsync();
        provider.Calls.Should().Be(2);
        provider.CallTimes[1].Should().Be(Start + TimeSpan.FromSeconds(10));
        (await cache.GetCredentialAsync()).AccessKeyId.Should().Be(FakeCredentialProvider.KeyIdOf(2));
    }

    [Fact]
    public async Task GetCredentialAsync_ClockJumpsHours_NextCallRefreshesAndNothingExpiredLeaks()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);
        await cache.GetCredentialAsync();

        time.Advance(TimeSpan.FromHours(5));
        CloudCredential afterJump = await cache.GetCredentialAsync();

        provider.Calls.Should().Be(2);
        afterJump.AccessKeyId.Should().Be(FakeCredentialProvider.KeyIdOf(2));
        afterJump.Expiration.Should().BeAfter(time.GetUtcNow());

        // With the provider down after another jump, the caller gets an error, never the expired credential.
        provider.Failure = () => new CredentialUnavailableException("fake", "down", null);
        time.Advance(TimeSpan.FromHours(7));
        await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
    }

    [Fact]
    public async Task GetCredentialAsync_900SecondSession_RefreshedOncePer450SecondsNotOnEveryCall()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time) { Lifetime = TimeSpan.FromSeconds(900) };
        await using CredentialCache cache = CreateCache(provider, time);

        for (int second = 0; second <= 3600; second++)
        {
            CloudCredential credential = await cache.GetCredentialAsync();
            credential.Expiration.Should().BeAfter(time.GetUtcNow());
            await cache.SettleAsync();
            time.Advance(TimeSpan.FromSeconds(1));
        }

        provider.CallTimes.Select(t => (t - Start).TotalSeconds)
            .Should().Equal(0, 450, 900, 1350, 1800, 2250, 2700, 3150, 3600);
    }

    [Fact]
    public async Task GetCredentialAsync_NothingValidAndProviderFails_EachCallTriesAgainWithoutWaitingForBackoff()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time)
        {
            Failure = () => new CredentialUnavailableException("env", "ALIBABA_CLOUD_ACCESS_KEY_ID is not set", null),
        };
        await using CredentialCache cache = CreateCache(provider, time);

        await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
        await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
        provider.Calls.Should().Be(2, "with nothing valid, a new call is a new attempt");

        provider.Failure = null; // the user exported the variable
        (await cache.GetCredentialAsync()).AccessKeyId.Should().Be(FakeCredentialProvider.KeyIdOf(3));
    }

    [Fact]
    public async Task GetCredentialAsync_ProviderThrowsCredentialUnavailable_RethrownUnchanged()
    {
        var time = new FakeTimeProvider(Start);
        var original = new CredentialUnavailableException("ram_role_arn/static_ak", "STS http://127.0.0.1:1 answered 403 NoPermission", null)
        {
            Endpoint = "http://127.0.0.1:1",
            StatusCode = System.Net.HttpStatusCode.Forbidden,
            ErrorCode = "NoPermission",
        };
        var provider = new FakeCredentialProvider(time) { Failure = () => original };
        await using CredentialCache cache = CreateCache(provider, time);

        (await FluentActions.Awaiting(async () => await cache.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>())
            .Which.Should().BeSameAs(original);
    }

    [Fact]
    public async Task GetCredentialAsync_ProviderThrowsOtherException_WrappedWithProviderName()
    {
        var time = new FakeTimeProvider(Start);
        var inner = new InvalidOperationException("kaput");
        var provider = new FakeCredentialProvider(time, "custom") { Failure = () => inner };
        await using CredentialCache cache = CreateCache(provider, time);

        CredentialUnavailableException error = (await FluentActions.Awaiting(async () => await cache.GetCredentialAsync())
            .Should().ThrowAsync<CredentialUnavailableException>()).Which;

        error.ProviderName.Should().Be("custom");
        error.Message.Should().StartWith("custom: ").And.Contain("InvalidOperationException")
            .And.NotContain("kaput", "an unexpected exception's message is not known to be free of secrets");
        error.InnerException.Should().BeSameAs(inner);
    }

    [Fact]
    public async Task GetCredentialAsync_ProviderRefreshHint_UsedInsteadOfDefault()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time) { Lifetime = TimeSpan.FromHours(6), RefreshBefore = TimeSpan.FromHours(1) };
        await using CredentialCache cache = CreateCache(provider, time);

        await cache.GetCredentialAsync();

        cache.NextRefreshAt.Should().Be(Start + TimeSpan.FromHours(5));
    }

    [Fact]
    public async Task NextRefreshAt_Lifecycle_NullUntilFetchedThenRefreshPointThenRetryTime()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        var options = new CredentialRefreshOptions { RefreshBefore = TimeSpan.FromMinutes(10) };
        await using CredentialCache cache = CreateCache(provider, time, options);
        cache.NextRefreshAt.Should().BeNull();

        await cache.GetCredentialAsync();
        cache.NextRefreshAt.Should().Be(Start + TimeSpan.FromMinutes(50));

        provider.Failure = () => new CredentialUnavailableException("fake", "down", null);
        await FluentActions.Awaiting(() => cache.RefreshAsync(CancellationToken.None)).Should().ThrowAsync<CredentialUnavailableException>();
        cache.NextRefreshAt.Should().Be(Start + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task RefreshAsync_WhileFresh_FetchesNowAndJoinsSharedFlight()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);
        await cache.GetCredentialAsync();
        provider.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task first = cache.RefreshAsync(CancellationToken.None);
        Task second = cache.RefreshAsync(CancellationToken.None);
        provider.Gate.SetResult();
        await Task.WhenAll(first, second);

        provider.Calls.Should().Be(2);
        (await cache.GetCredentialAsync()).AccessKeyId.Should().Be(FakeCredentialProvider.KeyIdOf(2));
    }

    [Fact]
    public async Task ReplaceProvider_NewProviderSlow_KeepsServingOldUntilNewSucceeds()
    {
        var time = new FakeTimeProvider(Start);
        var oldProvider = new FakeCredentialProvider(time, "old");
        await using CredentialCache cache = CreateCache(oldProvider, time);
        CloudCredential old = await cache.GetCredentialAsync();
        var newProvider = new FakeCredentialProvider(time, "new") { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };

        cache.ReplaceProvider(newProvider);
        await newProvider.WaitForCallsAsync(1);
        for (int i = 0; i < 10; i++)
        {
            cache.GetCredentialAsync().Completed().Should().BeSameAs(old);
        }

        newProvider.Gate.SetResult();
        await cache.SettleAsync();

        (await cache.GetCredentialAsync()).ProviderName.Should().Be("new");
        oldProvider.Calls.Should().Be(1);
        newProvider.Calls.Should().Be(1);
        cache.NextRefreshAt.Should().Be(Start + TimeSpan.FromMinutes(45));
    }

    [Fact]
    public async Task ReplaceProvider_NewProviderFails_KeepsServingOldAndRetriesOnBackoff()
    {
        var time = new FakeTimeProvider(Start);
        var oldProvider = new FakeCredentialProvider(time, "old");
        await using CredentialCache cache = CreateCache(oldProvider, time);
        CloudCredential old = await cache.GetCredentialAsync();
        var newProvider = new FakeCredentialProvider(time, "new") { Failure = () => new CredentialUnavailableException("new", "not yet", null) };

        cache.ReplaceProvider(newProvider);
        await cache.SettleAsync();
        newProvider.Calls.Should().Be(1);
        (await cache.GetCredentialAsync()).Should().BeSameAs(old);
        cache.NextRefreshAt.Should().Be(Start + TimeSpan.FromSeconds(1));

        newProvider.Failure = null;
        time.Advance(TimeSpan.FromSeconds(1));
        (await cache.GetCredentialAsync()).Should().BeSameAs(old); // triggers the retry
        await cache.SettleAsync();
        (await cache.GetCredentialAsync()).ProviderName.Should().Be("new");
    }

    [Fact]
    public async Task ReplaceProvider_WhileOldFetchInFlight_FetchesFromNewAfterwards()
    {
        var time = new FakeTimeProvider(Start);
        var oldProvider = new FakeCredentialProvider(time, "old") { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using CredentialCache cache = CreateCache(oldProvider, time);
        Task<CloudCredential> waiting = cache.GetCredentialAsync().AsTask();
        await oldProvider.WaitForCallsAsync(1);
        var newProvider = new FakeCredentialProvider(time, "new");

        cache.ReplaceProvider(newProvider);
        oldProvider.Gate.SetResult();
        (await waiting).ProviderName.Should().Be("old");
        await cache.SettleAsync();

        newProvider.Calls.Should().Be(1);
        (await cache.GetCredentialAsync()).ProviderName.Should().Be("new");
    }

    [Fact]
    public async Task ReplaceProvider_NothingFetched_NextCallUsesNewProvider()
    {
        var time = new FakeTimeProvider(Start);
        var oldProvider = new FakeCredentialProvider(time, "old");
        await using CredentialCache cache = CreateCache(oldProvider, time);

        cache.ReplaceProvider(new FakeCredentialProvider(time, "new"));

        (await cache.GetCredentialAsync()).ProviderName.Should().Be("new");
        oldProvider.Calls.Should().Be(0);
    }

    [Fact]
    public async Task DisposeAsync_FetchInFlight_CancelsItAndStopsTimers()
    {
        var time = new ObservedTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        CredentialCache cache = CreateCache(provider, time);
        await cache.GetCredentialAsync();
        time.ActiveTimerCount.Should().Be(1, "one timer moves the snapshot at its refresh point");
        time.Advance(TimeSpan.FromHours(2));
        provider.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<CloudCredential> waiting = cache.GetCredentialAsync().AsTask();
        await provider.WaitForCallsAsync(2);

        await cache.DisposeAsync();

        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<ObjectDisposedException>();
        provider.LastToken.IsCancellationRequested.Should().BeTrue();
        time.ActiveTimerCount.Should().Be(0);
    }

    [Fact]
    public async Task BackgroundFailuresAndAbandonedFetches_RaiseNoUnobservedTaskExceptions()
    {
        const string marker = "unobserved-marker-7d1c";
        var unobserved = new ConcurrentBag<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.ToString().Contains(marker, StringComparison.Ordinal))
            {
                unobserved.Add(e.Exception);
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await RunFailingScenarioAsync(marker);
            for (int i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            unobserved.Should().BeEmpty();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task RunFailingScenarioAsync(string marker)
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using CredentialCache cache = CreateCache(provider, time);
        await cache.GetCredentialAsync();

        // Background refreshes that fail with nobody awaiting them.
        provider.Failure = () => new InvalidOperationException(marker);
        time.Advance(TimeSpan.FromMinutes(45));
        for (int i = 0; i < 5; i++)
        {
            await cache.GetCredentialAsync();
            await cache.SettleAsync();
            time.Advance(TimeSpan.FromMinutes(1));
        }

        // A fetch abandoned at its timeout that later faults.
        var hang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.Failure = null;
        provider.Gate = hang;
        provider.HonorCancellation = false;
        time.Advance(TimeSpan.FromHours(2));
        Task<CloudCredential> call = cache.GetCredentialAsync().AsTask();
        await provider.WaitForCallsAsync(provider.Calls);
        time.Advance(TimeSpan.FromMinutes(2));
        await FluentActions.Awaiting(() => call).Should().ThrowAsync<CredentialUnavailableException>();
        hang.SetException(new InvalidOperationException(marker));
        await Task.Yield();
    }
}
