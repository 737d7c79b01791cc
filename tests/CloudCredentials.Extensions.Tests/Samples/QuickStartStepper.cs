using System.Threading.Channels;
using CloudCredentials.Caching;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;

namespace CloudCredentials.Tests.Samples;

/// <summary>
/// Runs the quick start on an <see cref="ObservedTimeProvider"/> in explicit steps. The demo pauses between two uses
/// through <see cref="PauseAsync"/> and waits there; the stepper then moves the clock to the end of the pause, stopping
/// at every timer due before it and, after each stop, waiting until the library waits on the clock again (no fetch under
/// way and no refresh due, or the fetch's HTTP call waiting on its retry back-off); then it lets the demo go and awaits
/// its next pause, or its end. Fake time never passes while real work runs, and nothing polls.
/// </summary>
internal sealed class QuickStartStepper
{
    // The STS client's attempt timeout: its retry back-offs are shorter, its attempt and total timeouts are not.
    private static readonly TimeSpan AttemptTimeout = HttpClientSettings.Remote.AttemptTimeout;

    private readonly Channel<Pause> _pauses = Channel.CreateUnbounded<Pause>();
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CredentialCacheRegistry? _registry;
    private CredentialCache? _cache;
    private ObservedTimeProvider.ArmedTimer? _backoff;

    public QuickStartStepper(DateTimeOffset start)
    {
        Time = new ObservedTimeProvider(start);
        Http = new HttpObserver(Time);
        Http.Changed += SignalChanged;
        Time.TimerArmed += timer =>
        {
            // Armed by an HTTP call's own code (not by one of its attempts' transports, which use real time) and shorter
            // than an attempt timeout: the resilience handler's back-off before the next attempt.
            if (Http.InCall && timer.DueTime < AttemptTimeout)
            {
                Volatile.Write(ref _backoff, timer);
                SignalChanged();
            }
        };
    }

    /// <summary>Gets the clock the app must use.</summary>
    public ObservedTimeProvider Time { get; }

    /// <summary>Gets the observer of the app's HTTP calls.</summary>
    public HttpObserver Http { get; }

    /// <summary>Adds the HTTP observers to every HttpClient and lets the stepper watch the app's credential cache.</summary>
    /// <param name="services">The app's services, after AddCloudCredentials.</param>
    public void Attach(IServiceCollection services)
    {
        // After the library's own builder actions: the call observer goes above its resilience handler, the attempt observer below.
        services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b =>
        {
            b.AdditionalHandlers.Insert(0, Http.CreateCallHandler());
            b.AdditionalHandlers.Add(Http.CreateHandler());
        }));

        // Hosted services are all resolved when the host starts, before any of them runs.
        services.AddSingleton<IHostedService>(sp =>
        {
            Volatile.Write(ref _registry, sp.GetRequiredService<CredentialCacheRegistry>());
            return new NothingToDo();
        });
    }

    /// <summary>The demo's pause between two uses (<c>QuickStartSettings.PauseBetweenUses</c>): one step of the run.</summary>
    public Task PauseAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var pause = new Pause(Time.GetUtcNow() + interval);
        _pauses.Writer.TryWrite(pause);
        return pause.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Runs the demo step by step until it ends; each step is bounded by 30 s of real time.</summary>
    public async Task<T> RunAsync<T>(Task<T> demo)
    {
        while (true)
        {
            Task<Pause> next = _pauses.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(demo, next).WaitAsync(TimeSpan.FromSeconds(30)) == demo)
            {
                return await demo;
            }

            Pause pause = await next;
            await AdvanceToAsync(pause.WakeAt);
            pause.Done.SetResult(); // the demo makes its next use; its next pause (or its end) acknowledges it
        }
    }

    private async Task AdvanceToAsync(DateTimeOffset wakeAt)
    {
        while (true)
        {
            await LibraryWaitsOnTheClockAsync();
            DateTimeOffset now = Time.GetUtcNow();
            DateTimeOffset next = wakeAt;
            if (Time.NextTimerDue is { } due && due < next)
            {
                next = due;
            }

            // The refresh service sleeps until the cache's next refresh; stop there even if it has not armed its timer yet.
            if (Cache?.NextRefreshAt is { } refresh && refresh > now && refresh < next)
            {
                next = refresh;
            }

            if (next > now)
            {
                // Timers fire inside Advance; run it on the thread pool so their continuations do not land on xunit's context.
                await Task.Run(() => Time.Advance(next - now));
            }

            if (next >= wakeAt)
            {
                return;
            }
        }
    }

    /// <summary>Completes once the library waits on the clock; woken by its signals (HTTP calls, the cache, timers), never by polling.</summary>
    private async Task LibraryWaitsOnTheClockAsync()
    {
        int firedWithoutMoving = 0;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            CredentialCache? cache = Cache;
            Task? pending = cache?.PendingRefresh;
            if (Volatile.Read(ref _backoff) is { } backoff && Time.IsArmed(backoff))
            {
                return; // a fetch's HTTP call waits on its retry back-off
            }

            DateTimeOffset now = Time.GetUtcNow();
            if (Time.NextTimerDue is { } due && due <= now)
            {
                // A timer armed for a moment that has already come (the fake clock fires timers only while it moves):
                // let it fire without moving the clock, then look again. A timer that never fires would make this spin:
                // fail with what is armed instead of hanging the test run.
                if (++firedWithoutMoving > 10_000)
                {
                    throw new TimeoutException($"A timer due at {due:O} (now {now:O}) does not fire; timers armed {Time.ActiveTimerCount}.");
                }

                Time.Advance(TimeSpan.Zero);
                await Task.Yield();
                continue;
            }

            if (Http.CallsInProgress == 0 && pending is null && !(cache?.NextRefreshAt <= now))
            {
                return; // no fetch under way and none due: the refresh service sleeps until the next refresh point
            }

            Task wake = pending is null ? changed : Task.WhenAny(changed, pending);
            try
            {
                await wake.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException(
                    $"The library did not settle: now {now:O}, next refresh {cache?.NextRefreshAt:O}, fetch pending {pending is not null}, "
                    + $"HTTP calls in progress {Http.CallsInProgress}, timers armed {Time.ActiveTimerCount}, next timer {Time.NextTimerDue:O}.",
                    ex);
            }
        }
    }

    private CredentialCache? Cache
    {
        get
        {
            lock (_gate)
            {
                if (_cache is null && Volatile.Read(ref _registry)?.Caches is [CredentialCache cache, ..])
                {
                    _cache = cache;
                    cache.NextRefreshAtChanged += _ => SignalChanged();
                }

                return _cache;
            }
        }
    }

    private void SignalChanged()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private sealed class Pause(DateTimeOffset wakeAt)
    {
        public DateTimeOffset WakeAt { get; } = wakeAt;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class NothingToDo : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
