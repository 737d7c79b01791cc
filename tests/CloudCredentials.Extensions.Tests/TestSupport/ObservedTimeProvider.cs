using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>
/// The package's <see cref="FakeTimeProvider"/> plus what it does not expose: how often the clock is read, which timers
/// are armed (a <c>Task.Delay</c>, a timeout, a back-off, a cache's phase timer) and a signal when the code under test
/// arms one, so a test advances time exactly when that code waits on it instead of polling.
/// </summary>
public sealed class ObservedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly object _gate = new();
    private readonly Dictionary<ObservedTimer, ArmedTimer> _armed = [];
    private int _reads;

    /// <summary>Raised on the arming thread, in the arming code's execution context, each time a timer gets a finite due time.</summary>
    public event Action<ArmedTimer>? TimerArmed;

    /// <summary>Gets how often <see cref="GetUtcNow"/> and <see cref="GetTimestamp"/> were called.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Gets the number of armed timers: a finite due time, not fired yet (one-shot), not disposed.</summary>
    public int ActiveTimerCount => Locked(() => _armed.Count);

    /// <summary>Gets when the earliest armed timer fires, if any.</summary>
    public DateTimeOffset? NextTimerDue => Locked(() => _armed.Count == 0 ? (DateTimeOffset?)null : _armed.Values.Min(t => t.DueAt));

    /// <summary>Whether <paramref name="timer"/> is still armed: not fired (one-shot), changed or disposed since.</summary>
    public bool IsArmed(ArmedTimer timer) => Locked(() => _armed.ContainsValue(timer));

    public override DateTimeOffset GetUtcNow()
    {
        Interlocked.Increment(ref _reads);
        return base.GetUtcNow();
    }

    public override long GetTimestamp()
    {
        Interlocked.Increment(ref _reads);
        return base.GetTimestamp();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(this);
        timer.Inner = base.CreateTimer(
            s =>
            {
                Fired(timer);
                callback(s);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes with a timer that matches: one armed now, or else the next one armed (bounded by 30 s of real time).</summary>
    public async Task<ArmedTimer> WaitForTimerAsync(Func<ArmedTimer, bool> match, CancellationToken cancellationToken = default)
    {
        var found = new TaskCompletionSource<ArmedTimer>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnArmed(ArmedTimer timer)
        {
            if (match(timer))
            {
                found.TrySetResult(timer);
            }
        }

        TimerArmed += OnArmed;
        try
        {
            if (Locked(() => _armed.Values.FirstOrDefault(match)) is { } armed)
            {
                found.TrySetResult(armed);
            }

            return await found.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        finally
        {
            TimerArmed -= OnArmed;
        }
    }

    private DateTimeOffset BaseUtcNow() => base.GetUtcNow();

    private T Locked<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private void Fired(ObservedTimer timer)
    {
        lock (_gate)
        {
            if (_armed.TryGetValue(timer, out ArmedTimer? armed) && armed.Period > TimeSpan.Zero && armed.Period != Timeout.InfiniteTimeSpan)
            {
                _armed[timer] = new ArmedTimer(armed.DueTime, base.GetUtcNow() + armed.Period, armed.Period);
            }
            else
            {
                _armed.Remove(timer);
            }
        }
    }

    /// <summary>Records a timer's new schedule; returns <see langword="false"/> (and records nothing) once it is disposed.</summary>
    private bool Set(ObservedTimer timer, ArmedTimer? armed, bool dispose = false)
    {
        lock (_gate)
        {
            if (timer.Disposed)
            {
                return false;
            }

            timer.Disposed = dispose;
            if (armed is null)
            {
                _armed.Remove(timer);
            }
            else
            {
                _armed[timer] = armed;
            }

            return true;
        }
    }

    /// <summary>A timer as armed: its due time as given, when that is on this clock, and its period.</summary>
    public sealed class ArmedTimer(TimeSpan dueTime, DateTimeOffset dueAt, TimeSpan period)
    {
        public TimeSpan DueTime { get; } = dueTime;

        public DateTimeOffset DueAt { get; } = dueAt;

        public TimeSpan Period { get; } = period;
    }

    private sealed class ObservedTimer(ObservedTimeProvider owner) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Recorded before the inner timer may fire (a due time already passed fires it synchronously).
            // A Change racing with Dispose (pooled CancellationTokenSources do this) must not leave a phantom entry that
            // never fires: NextTimerDue would then stay in the past for ever.
            ArmedTimer? armed = dueTime == Timeout.InfiniteTimeSpan ? null : new ArmedTimer(dueTime, owner.BaseUtcNow() + dueTime, period);
            if (!owner.Set(this, armed))
            {
                return false;
            }

            if (armed is not null)
            {
                owner.TimerArmed?.Invoke(armed);
            }

            return Inner.Change(dueTime, period);
        }

        /// <summary>Gets or sets whether the timer was disposed (read and written under the owner's lock).</summary>
        public bool Disposed { get; set; }

        public void Dispose()
        {
            owner.Set(this, null, dispose: true);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
