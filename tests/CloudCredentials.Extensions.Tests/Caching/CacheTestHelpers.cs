using CloudCredentials.Caching;
using CloudCredentials.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.Caching;

internal static class CacheTestHelpers
{
    /// <summary>Creates a cache with default options and no jitter (full exponential delays), so schedules are exact.</summary>
    public static CredentialCache CreateCache(
        ICredentialProvider provider,
        TimeProvider time,
        CredentialRefreshOptions? options = null,
        ILogger? logger = null,
        CloudCredentialsMetrics? metrics = null,
        string registrationName = "test") =>
        new(registrationName, provider, options ?? new CredentialRefreshOptions(), time, logger ?? NullLogger.Instance, metrics)
        {
            Jitter = static () => 1.0,
        };

    /// <summary>Asserts that the call completed synchronously and returns its credential.</summary>
    public static CloudCredential Completed(this ValueTask<CloudCredential> call)
    {
        call.IsCompletedSuccessfully.Should().BeTrue("a cached credential is returned synchronously");
        return call.Result;
    }

    /// <summary>The result of a synchronously completed call, with no assertion (and no allocation).</summary>
    public static CloudCredential ResultOf(ValueTask<CloudCredential> call) => call.Result;

    /// <summary>
    /// Completes when the refresh service next goes to sleep (its timer armed, so fake time may move) while
    /// <paramref name="condition"/> holds, given the time it will wake; subscribe before what should lead there.
    /// </summary>
    public static Task WaitForSleepAsync(this CredentialRefreshService service, Func<DateTimeOffset?, bool> condition)
    {
        var asleep = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSleeping(DateTimeOffset? wakeAt)
        {
            if (condition(wakeAt))
            {
                service.Sleeping -= OnSleeping;
                asleep.TrySetResult();
            }
        }

        service.Sleeping += OnSleeping;
        return asleep.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits until no fetch is under way (including follow-ups a completed fetch starts); failures are ignored.</summary>
    public static async Task SettleAsync(this CredentialCache cache)
    {
        for (int i = 0; i < 100 && cache.PendingRefresh is { } pending; i++)
        {
            try
            {
                await pending.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception ex) when (ex is not TimeoutException)
            {
            }
        }

        cache.PendingRefresh.Should().BeNull("the fetch under way should have finished");
    }
}
