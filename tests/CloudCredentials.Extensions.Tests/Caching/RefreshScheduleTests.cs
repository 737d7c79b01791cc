using CloudCredentials.Caching;

namespace CloudCredentials.Tests.Caching;

public sealed class RefreshScheduleTests
{
    private static readonly DateTimeOffset Fetched = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(3600, 900, 2700)] // 1 h session: 15 min before expiry
    [InlineData(900, 900, 450)] // 15 min session: half-way, not on every call
    [InlineData(20, 900, 10)] // 20 s credential: at 10 s
    [InlineData(21600, 3600, 18000)] // ECS hint: 1 h before a 6 h expiry
    [InlineData(3600, 180, 3420)] // External hint: 180 s before expiry
    [InlineData(3600, 0, 3595)] // no lead: at expiry minus skew
    public void GetRefreshAt_LifetimeAndLead_ExpirationMinusMinOfLeadAndHalfLifetime(int lifetimeSeconds, int leadSeconds, int expectedSeconds)
    {
        DateTimeOffset expiration = Fetched.AddSeconds(lifetimeSeconds);

        DateTimeOffset refreshAt = RefreshSchedule.GetRefreshAt(Fetched, expiration, TimeSpan.FromSeconds(leadSeconds), expiration - Skew);

        (refreshAt - Fetched).TotalSeconds.Should().Be(expectedSeconds);
    }

    [Fact]
    public void GetRefreshAt_VeryShortLifetime_NeverAfterExpiryMinusSkew()
    {
        DateTimeOffset expiration = Fetched.AddSeconds(8); // half-life 4 s < 5 s skew

        DateTimeOffset refreshAt = RefreshSchedule.GetRefreshAt(Fetched, expiration, TimeSpan.FromMinutes(15), expiration - Skew);

        refreshAt.Should().Be(Fetched.AddSeconds(3));
    }

    [Fact]
    public void GetRetryDelay_FullJitter_DoublesFromBaseAndCapsAtMax()
    {
        TimeSpan[] delays = [.. Enumerable.Range(1, 10).Select(n => RefreshSchedule.GetRetryDelay(n, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), 1.0))];

        delays.Select(d => d.TotalSeconds).Should().Equal(1, 2, 4, 8, 16, 32, 60, 60, 60, 60);
    }

    [Fact]
    public void GetRetryDelay_NoJitter_HalfTheExponentialDelay()
    {
        RefreshSchedule.GetRetryDelay(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), 0.0).Should().Be(TimeSpan.FromSeconds(2));
        RefreshSchedule.GetRetryDelay(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), 0.0).Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void GetRetryDelay_NonsenseOptions_NeverATightLoop()
    {
        RefreshSchedule.GetRetryDelay(1, TimeSpan.Zero, TimeSpan.Zero, 1.0).Should().Be(RefreshSchedule.MinimumRetryDelay);
        RefreshSchedule.GetRetryDelay(int.MaxValue, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), double.NaN).Should().Be(TimeSpan.FromSeconds(60));
    }
}
