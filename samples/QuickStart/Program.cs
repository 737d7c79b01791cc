// The quick start: starts the local cloud emulator in this process, registers CloudCredentials against it from
// appsettings.json, and for about a minute tells what happens to the credential the app uses: the first fetch, the
// background refresh before expiry, an STS outage served from the cache (stale-if-error), and the recovery.
//
//   dotnet run --project samples/QuickStart [-- --duration <seconds>]
//
// Exit code 0 when the whole story happened, 1 when it did not (the output says which part), 2 for bad arguments.
using CloudCredentials.Samples.QuickStart;

if (!QuickStartSettings.TryParse(args, out QuickStartSettings? settings, out string? error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(QuickStartSettings.Usage);
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
