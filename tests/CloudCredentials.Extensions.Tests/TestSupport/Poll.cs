namespace CloudCredentials.Tests.TestSupport;

/// <summary>Waits for something another thread does (a connection accepted, a log written), bounded by 10 s of real time.</summary>
internal static class Poll
{
    /// <summary>Completes once <paramref name="condition"/> holds; fails the test naming <paramref name="what"/> after 10 s.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            deadline.IsCancellationRequested.Should().BeFalse("waiting until " + what);
            await Task.Delay(5, CancellationToken.None);
        }
    }
}
