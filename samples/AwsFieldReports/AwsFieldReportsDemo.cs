namespace CloudCredentials.Samples.AwsFieldReports;

/// <summary>
/// Replays the three AWS field reports (FIELD_REPORTS.md) against the in-process emulator, each on its own fake clock
/// shared by the emulator and the library, and says for each whether the failure was made impossible.
/// </summary>
internal sealed class AwsFieldReportsDemo(TextWriter output)
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Gets the IMDS token PUTs of the pooled-clients report (after <see cref="RunAsync"/>).</summary>
    public long PooledClientTokenPuts { get; private set; }

    /// <summary>Runs the three reports; returns whether every check passed. Never prints a secret.</summary>
    public async Task<bool> RunAsync()
    {
        var story = new StoryWriter(output);
        story.Plain("The three AWS field reports, replayed against the local emulator (loopback only; hours pass on a fake clock).");
        story.Plain(string.Empty);
        await RunReportAsync(story, () => new EcsTaskReport(story, Start).RunAsync());
        story.Plain(string.Empty);
        var pooled = new PooledClientsReport(story, Start);
        await RunReportAsync(story, pooled.RunAsync);
        PooledClientTokenPuts = pooled.TokenPuts;
        story.Plain(string.Empty);
        await RunReportAsync(story, () => new RotatingWorkerReport(story, Start).RunAsync());
        story.Plain(string.Empty);

        if (story.Succeeded)
        {
            story.Plain("AwsFieldReports OK: credential at start or no start, one shared IMDS token, a fresh credential on every use.");
        }
        else
        {
            story.Plain("AwsFieldReports FAILED:");
            foreach (string problem in story.Problems)
            {
                story.Plain("  - " + problem);
            }
        }

        return story.Succeeded;
    }

    private static async Task RunReportAsync(StoryWriter story, Func<Task> report)
    {
        try
        {
            await report();
        }
        catch (Exception ex) when (ex is CredentialUnavailableException or Microsoft.Extensions.Options.OptionsValidationException or HttpRequestException or InvalidOperationException or TimeoutException)
        {
            story.Check(false, $"the report stopped: {ex.GetType().Name}: {SampleHost.FirstLine(ex)}");
        }
        finally
        {
            story.Clock = null;
        }
    }
}
