namespace CloudCredentials.Caching;

/// <summary>
/// The timer that moves a <see cref="CredentialCache"/>'s snapshot to its next <see cref="CredentialPhase"/>: it fires
/// at the snapshot's refresh point while <see cref="CredentialPhase.Fresh"/> and at its expiry while
/// <see cref="CredentialPhase.RefreshDue"/>. The hot path does not depend on it: it also checks the snapshot's deadlines
/// (<see cref="CacheClock"/>).
/// </summary>
/// <remarks>
/// Not thread-safe: the owning cache calls <see cref="Schedule"/> and <see cref="Dispose"/> under its lock. The timer
/// does not capture the creating caller's <see cref="ExecutionContext"/>.
/// </remarks>
internal sealed class CredentialPhaseTimer : IDisposable
{
    /// <summary>
    /// With the system clock, the longest the phase timer sleeps before checking the wall clock again. Timers run on the
    /// monotonic clock, which stands still while a machine is suspended or a VM is paused, while expirations are wall-clock
    /// times; capping the sleep bounds how long after such a pause a snapshot can stay "fresh" past its refresh point or
    /// expiry on the monotonic deadlines the hot path checks. Other time providers (test clocks) have no such gap.
    /// </summary>
    internal static readonly TimeSpan SystemClockMaxTimerDelay = TimeSpan.FromSeconds(10);

    /// <summary>The longest timer delay with any other time provider.</summary>
    internal static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(30);

    private readonly ITimer _timer;
    private bool _disposed;

    /// <summary>Creates the timer, disarmed.</summary>
    /// <param name="timeProvider">The timer source; <see cref="TimeProvider.System"/> caps each sleep at <see cref="SystemClockMaxTimerDelay"/>.</param>
    /// <param name="onDue">Called on a timer thread when the timer fires; it re-evaluates the phase and re-arms the timer.</param>
    public CredentialPhaseTimer(TimeProvider timeProvider, Action onDue)
    {
        MaxDelay = ReferenceEquals(timeProvider, TimeProvider.System) ? SystemClockMaxTimerDelay : MaxTimerDelay;
        _timer = CreateTimer(timeProvider, onDue);
    }

    /// <summary>Gets the longest the timer sleeps before the owner re-reads the clock.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Arms the timer for the next phase transition of <paramref name="snapshot"/>, or disarms it when there is none.</summary>
    /// <param name="snapshot">The snapshot just published, already in its phase at <paramref name="now"/>.</param>
    /// <param name="now">The current time.</param>
    public void Schedule(CredentialSnapshot snapshot, DateTimeOffset now)
    {
        if (_disposed)
        {
            return;
        }

        DateTimeOffset? due = snapshot.Phase switch
        {
            CredentialPhase.Fresh => snapshot.RefreshAt,
            CredentialPhase.RefreshDue => snapshot.ExpiresAt,
            _ => null,
        };
        if (due is not { } dueAt)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // Whole milliseconds, rounded up, so the timer never fires before the transition; a timer that fires early
        // anyway (a delay capped at MaxDelay, a wall-clock adjustment) just re-evaluates and re-arms.
        double milliseconds = Math.Ceiling((dueAt - now).TotalMilliseconds);
        TimeSpan delay = milliseconds < 1 ? TimeSpan.FromMilliseconds(1)
            : milliseconds > MaxDelay.TotalMilliseconds ? MaxDelay
            : TimeSpan.FromMilliseconds(milliseconds);
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Stops the timer; later <see cref="Schedule"/> calls do nothing.</summary>
    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
    }

    private static ITimer CreateTimer(TimeProvider timeProvider, Action onDue)
    {
        // Do not capture the resolving caller's ExecutionContext (its Activity, AsyncLocals) in a long-lived timer.
        bool restore = !ExecutionContext.IsFlowSuppressed();
        if (restore)
        {
            ExecutionContext.SuppressFlow();
        }

        try
        {
            return timeProvider.CreateTimer(
                static state => ((Action)state!)(), onDue, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        finally
        {
            if (restore)
            {
                ExecutionContext.RestoreFlow();
            }
        }
    }
}
