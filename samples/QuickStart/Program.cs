namespace CloudCredentials.Samples.QuickStart;

/// <summary>
/// The quick start: starts the local cloud emulator in this process, registers CloudCredentials against it from
/// appsettings.json, and for about a minute tells what happens to the credential the app uses: the first fetch, the
/// background refresh before expiry, an STS outage served from the cache (stale-if-error), and the recovery.
/// </summary>
/// <remarks>
/// <c>dotnet run --project samples/QuickStart [-- --duration &lt;seconds&gt;]</c>. Exit code 0 when the whole story
/// happened, 1 when it did not (the output says which part), 2 for bad arguments.
/// </remarks>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (!QuickStartSettings.TryParse(args, out QuickStartSettings? settings, out string? error))
        {
            await Console.Error.WriteLineAsync(error + Environment.NewLine + QuickStartSettings.Usage);
            return 2;
        }

        if (settings.ShowHelp)
        {
            Console.WriteLine(QuickStartSettings.Usage);
            return 0;
        }

        var demo = new QuickStartDemo(settings, Console.Out, TimeProvider.System);
        QuickStartResult result = await demo.RunAsync(CancellationToken.None);
        return result.Succeeded ? 0 : 1;
    }
}
