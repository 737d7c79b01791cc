using System.Diagnostics;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Samples;

/// <summary>
/// Moves a <see cref="FakeTimeProvider"/> forward in small steps while a task runs, but only while no HTTP request is
/// on the wire: fake time never passes during real I/O, so no timeout fires because the machine is slow, while
/// back-off delays, refresh points and expiries pass in milliseconds of real time.
/// </summary>
internal static class FakeClockDriver
{
    public static async Task DriveAsync(Task running, FakeTimeProvider time, HttpObserver http, TimeSpan step, TimeSpan realTimeout)
    {
        var watch = Stopwatch.StartNew();
        while (!running.IsCompleted)
        {
            if (watch.Elapsed > realTimeout)
            {
                throw new TimeoutException($"The task did not finish within {realTimeout} of real time (fake clock at {time.GetUtcNow():O}).");
            }

            // Let the continuations of the last step run (a background refresh must reach the wire before the clock
            // moves on, or a loaded machine would see it late on the fake clock); wait while a request is on the wire.
            await Task.Delay(2);
            if (http.InFlight > 0 || running.IsCompleted || ThreadPool.PendingWorkItemCount > 0)
            {
                continue;
            }

            // Timers fire inside Advance; run it on the thread pool so their continuations do not land on xunit's context.
            await Task.Run(() => time.Advance(step));
        }
    }
}
