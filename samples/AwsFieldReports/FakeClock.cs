using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Samples.AwsFieldReports;

/// <summary>
/// The story's clock: one <see cref="FakeTimeProvider"/> shared by the emulator (token TTLs, credential expirations,
/// SigV4 date checks) and the library (refresh schedule, HTTP timeouts), so hours of credential life pass in seconds.
/// The clock only moves while no HTTP call of the app is under way (every app HttpClient is counted), and the reports
/// move it in steps that land on the library's refresh points (5 or 15 minutes; 1 h credentials refresh 15 minutes
/// before expiry, the 6 h IMDS token 5 minutes before), so a call never sees fake time jump under it.
/// </summary>
internal sealed class FakeClock
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(40);
    private static readonly TimeSpan Stuck = TimeSpan.FromSeconds(3);

    private long _started;
    private long _finished;

    public FakeClock(DateTimeOffset start)
    {
        Time = new FakeTimeProvider(start);
        Start = start;
    }

    /// <summary>Gets the clock to hand to the emulator and the library.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Gets when the story started.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Gets the fake time passed since the start.</summary>
    public TimeSpan Elapsed => Time.GetUtcNow() - Start;

    /// <summary>Counts every HttpClient call of the app (the library's and the app's own).</summary>
    public void Attach(IServiceCollection services) =>
        services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(
            b => b.AdditionalHandlers.Insert(0, new CountingHandler(this))));

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing the timers due on the way, once nothing is in flight.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await SettleAsync();
        await Task.Run(() => Time.Advance(by)); // timers fire inside Advance: off the caller's context
        await SettleAsync();
    }

    /// <summary>Waits until no HTTP call has been under way for a short quiet period (a refresh a timer just started shows up meanwhile).</summary>
    public async Task SettleAsync()
    {
        DateTime busySince = DateTime.UtcNow;
        while (true)
        {
            long started = Interlocked.Read(ref _started);
            if (started == Interlocked.Read(ref _finished))
            {
                await Task.Delay(Quiet);
                if (started == Interlocked.Read(ref _started) && started == Interlocked.Read(ref _finished))
                {
                    return;
                }

                busySince = DateTime.UtcNow;
                continue;
            }

            if (DateTime.UtcNow - busySince > Stuck)
            {
                // A call waits on the fake clock itself (a retry back-off): let a little fake time pass for it.
                Time.Advance(TimeSpan.FromMilliseconds(100));
                busySince = DateTime.UtcNow;
            }

            await Task.Delay(5);
        }
    }

    private sealed class CountingHandler(FakeClock clock) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref clock._started);
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Increment(ref clock._finished);
            }
        }
    }
}
