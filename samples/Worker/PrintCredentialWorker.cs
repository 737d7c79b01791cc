using CloudCredentials;

namespace CloudCredentials.Samples.Worker;

/// <summary>Prints the resolved credential (redacted: ToString never shows a secret), then stops the host.</summary>
internal sealed class PrintCredentialWorker(
    ICredentialSource credentials, WorkerConsole console, IHostApplicationLifetime lifetime, ILogger<PrintCredentialWorker> logger)
    : BackgroundService
{
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
            logger.LogError("No credential: {Reason}", ex.Message);
            console.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
