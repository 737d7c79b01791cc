namespace CloudCredentials.Samples.Worker;

/// <summary>
/// Resolves a credential once and prints it (redacted: <see cref="CloudCredential.ToString"/> never shows a secret),
/// then stops the host. Without a <c>CloudCredentials</c> section it resolves through the default chain, so it shows
/// which source answered; when none does, it prints what the chain tried and how to give it a key, and exits 1.
/// </summary>
/// <remarks>
/// Its appsettings.json turns off the cache's own log (<c>CloudCredentials.Caching.CredentialCache</c>): for this one-shot
/// worker it would repeat the same reason with a stack trace. A long-running app keeps it: it reports failed refreshes.
/// </remarks>
internal sealed class PrintCredentialWorker(ICredentialSource credentials, WorkerConsole console, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    /// <summary>How to give the default chain a key, printed when nothing is configured.</summary>
    internal const string RunHint =
        "To try the sample with an AccessKey: ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=... dotnet run --project samples/Worker";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Ask on every use; never keep the credential in a field.
            CloudCredential credential = await credentials.GetCredentialAsync(stoppingToken);
            await console.Out.WriteLineAsync($"Resolved: {credential}");
        }
        catch (CredentialUnavailableException ex)
        {
            // The message names every source tried and why it gave nothing; never a secret.
            await console.Error.WriteLineAsync("No Alibaba Cloud credential could be resolved. What was tried:");
            await console.Error.WriteLineAsync("  " + ex.Message);
            await console.Error.WriteLineAsync(RunHint);
            console.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
