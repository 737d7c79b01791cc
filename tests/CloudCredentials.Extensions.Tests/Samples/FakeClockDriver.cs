using System.Diagnostics;
using CloudCredentials.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;

namespace CloudCredentials.Tests.Samples;

/// <summary>
/// Runs an app on a <see cref="FakeTimeProvider"/> and moves it forward in small steps, but only while the app has
/// nothing to do now: no HTTP request on the wire, no work queued, and no credential cache whose refresh is due but
/// not yet started. Fake time never passes during real work, so no timeout fires and no refresh starts late because
/// the machine is slow, while back-off delays, refresh points and expiries pass in milliseconds of real time.
/// </summary>
internal sealed class FakeClockDriver
{
    // A due refresh normally starts within milliseconds. If it has not after this long (a timer armed just after a
    // step, so it fires one step later), let the clock move on rather than wait forever.
    private static readonly TimeSpan MaxHoldForDueRefresh = TimeSpan.FromSeconds(2);

    private CredentialCacheRegistry? _registry;

    public FakeClockDriver(DateTimeOffset start)
    {
        Time = new FakeTimeProvider(start);
        Http = new HttpObserver(Time);
    }

    /// <summary>Gets the clock the app must use.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Gets the observer of the app's HTTP calls.</summary>
    public HttpObserver Http { get; }

    /// <summary>Adds the HTTP observer to every HttpClient and lets the driver watch the app's credential caches.</summary>
    /// <param name="services">The app's services, after AddCloudCredentials.</param>
    public void Attach(IServiceCollection services)
    {
        services.ConfigureAll<HttpClientFactoryOptions>(
            o => o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(Http.CreateHandler())));

        // Hosted services are all resolved when the host starts, before any of them runs.
        services.AddSingleton<IHostedService>(sp =>
        {
            Volatile.Write(ref _registry, sp.GetRequiredService<CredentialCacheRegistry>());
            return new NothingToDo();
        });
    }

    /// <summary>Advances the clock by <paramref name="step"/> whenever the app is idle, until <paramref name="running"/> ends.</summary>
    public async Task DriveAsync(Task running, TimeSpan step, TimeSpan realTimeout)
    {
        var watch = Stopwatch.StartNew();
        Stopwatch? holding = null;
        while (!running.IsCompleted)
        {
            if (watch.Elapsed > realTimeout)
            {
                throw new TimeoutException($"The task did not finish within {realTimeout} of real time (fake clock at {Time.GetUtcNow():O}).");
            }

            // Let the continuations of the last step run; wait while a request is on the wire or work is queued. Work
            // that is running (not queued) is invisible here, so the app must look idle twice in a row.
            bool idle = false;
            for (int check = 0; check < 2 && !running.IsCompleted; check++)
            {
                await Task.Delay(2);
                idle = Http.InFlight == 0 && ThreadPool.PendingWorkItemCount == 0;
                if (!idle)
                {
                    break;
                }
            }

            if (!idle || running.IsCompleted)
            {
                continue;
            }

            if (RefreshDueButNotStarted())
            {
                holding ??= Stopwatch.StartNew();
                if (holding.Elapsed < MaxHoldForDueRefresh)
                {
                    continue;
                }
            }

            holding = null;

            // Timers fire inside Advance; run it on the thread pool so their continuations do not land on xunit's context.
            await Task.Run(() => Time.Advance(step));
        }
    }

    private bool RefreshDueButNotStarted()
    {
        if (Volatile.Read(ref _registry) is not { } registry)
        {
            return false;
        }

        DateTimeOffset now = Time.GetUtcNow();
        return registry.Caches.Any(c => c.PendingRefresh is null && c.NextRefreshAt is { } next && next <= now);
    }

    private sealed class NothingToDo : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
