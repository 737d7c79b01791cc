using System.Runtime.CompilerServices;

namespace CloudCredentials.Caching;

/// <summary>
/// The clock the hot path checks a snapshot's deadlines against, so that no credential is served past its refresh
/// point as fresh, or past its expiry at all, even when the phase timer cannot run (a disposed container, a starved or
/// stopped timer queue, a custom clock whose timers do not follow its wall clock).
/// </summary>
/// <remarks>
/// <para>
/// With <see cref="TimeProvider.System"/> a reading is <see cref="Environment.TickCount64"/> (milliseconds of the
/// coarse monotonic clock: a few nanoseconds, no system call), and deadlines are the remaining time added to the
/// reading taken when the snapshot was published. The coarse clock may lag by a few milliseconds, far inside the
/// <see cref="CredentialRefreshOptions.ClockSkew"/> allowance. A monotonic clock stands still while the machine is
/// suspended and does not follow wall-clock steps; the phase timer, which re-reads the wall clock at least every
/// <see cref="CredentialPhaseTimer.SystemClockMaxTimerDelay"/>, still covers those, and a credential is dropped when
/// either clock says it expired. Reading the wall clock instead (<c>DateTime.UtcNow</c>, 20–30 ns on Linux) would
/// cost several times the whole hot path.
/// </para>
/// <para>
/// With any other <see cref="TimeProvider"/> a reading is <see cref="TimeProvider.GetUtcNow"/> in UTC ticks and the
/// deadlines are the wall-clock times themselves: such a clock (a test clock, a clock with an offset) may jump while
/// its timers do not, and its timestamp need not follow its wall clock, so only its wall clock is authoritative. That
/// costs one virtual call per hot-path call, paid only by those who inject a clock.
/// </para>
/// </remarks>
internal readonly struct CacheClock
{
    private readonly TimeProvider? _custom; // null: the system clock

    /// <summary>Creates the clock for <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The cache's time provider.</param>
    public CacheClock(TimeProvider timeProvider)
    {
        _custom = ReferenceEquals(timeProvider, TimeProvider.System) ? null : timeProvider;
    }

    /// <summary>Reads the clock.</summary>
    /// <returns>The current reading, comparable with deadlines from <see cref="DeadlineAt"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Now() => _custom is null ? Environment.TickCount64 : _custom.GetUtcNow().UtcTicks;

    /// <summary>Converts a wall-clock time into a deadline on this clock.</summary>
    /// <param name="at">The wall-clock time, or <see langword="null"/> for never.</param>
    /// <param name="now">The current wall-clock time, read from the same time provider just before <paramref name="clockNow"/>.</param>
    /// <param name="clockNow">The current reading of this clock.</param>
    /// <returns>The reading from which <paramref name="at"/> has passed; <see cref="long.MaxValue"/> for never.</returns>
    public long DeadlineAt(DateTimeOffset? at, DateTimeOffset now, long clockNow)
    {
        if (at is not { } time)
        {
            return long.MaxValue;
        }

        if (_custom is not null)
        {
            return time.UtcTicks;
        }

        // Whole milliseconds, rounded down: the deadline is never later than the wall-clock time.
        double milliseconds = Math.Floor((time - now).TotalMilliseconds);
        if (milliseconds <= 0)
        {
            return clockNow;
        }

        return milliseconds >= long.MaxValue - clockNow ? long.MaxValue : clockNow + (long)milliseconds;
    }
}
