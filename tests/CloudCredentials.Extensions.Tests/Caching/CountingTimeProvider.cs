using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Caching;

/// <summary>Delegates to a <see cref="FakeTimeProvider"/> and counts clock reads, to prove the hot path reads none.</summary>
internal sealed class CountingTimeProvider(FakeTimeProvider inner) : TimeProvider
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public override DateTimeOffset GetUtcNow()
    {
        Interlocked.Increment(ref _reads);
        return inner.GetUtcNow();
    }

    public override long GetTimestamp()
    {
        Interlocked.Increment(ref _reads);
        return inner.GetTimestamp();
    }

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
