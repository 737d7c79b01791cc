using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Http.Support;

/// <summary>Helpers to run async code against a <see cref="FakeTimeProvider"/>.</summary>
public static class FakeClock
{
    /// <summary>Advances fake time by <paramref name="step"/> until <paramref name="task"/> completes (bounded by real time).</summary>
    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan step)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(2));
            if (task.IsCompleted)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The task did not complete while fake time was advanced.");
            }

            time.Advance(step);
        }

        return await task;
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }

            await Task.Delay(2);
        }
    }
}
