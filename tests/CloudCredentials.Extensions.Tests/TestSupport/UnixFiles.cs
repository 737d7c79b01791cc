using System.Diagnostics;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>Special files for tests of file reading (Unix only), and a bound for calls that could block on them.</summary>
internal static class UnixFiles
{
    /// <summary>Creates a named pipe (FIFO) at <paramref name="path"/> with <c>mkfifo</c>; opening it for reading blocks until a writer appears.</summary>
    public static string MakeFifo(string path)
    {
        var start = new ProcessStartInfo("mkfifo") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add(path);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("mkfifo did not start");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mkfifo {path} failed ({process.ExitCode}): {error}");
        }

        return path;
    }

    /// <summary>
    /// Runs <paramref name="act"/> on the thread pool (a read that blocks in <c>open</c> would otherwise block the test
    /// itself) and asserts that it throws <typeparamref name="TException"/> within 10 seconds; a hang fails the test
    /// with a <see cref="TimeoutException"/> instead.
    /// </summary>
    public static async Task<TException> ThrowsWithinTenSecondsAsync<TException>(Func<Task> act)
        where TException : Exception
    {
        Task run = Task.Run(act);
        Func<Task> bounded = () => run.WaitAsync(TimeSpan.FromSeconds(10));
        return (await bounded.Should().ThrowAsync<TException>()).Which;
    }
}
