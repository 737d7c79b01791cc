using CloudCredentials.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudCredentials.Samples.AwsFieldReports;

/// <summary>
/// Field report 1 (AWS SDK for Go v2 in ECS, "credentials provider must not be nil"): a task with only the ECS
/// container settings gets a credential while the host starts, and a misconfigured task does not start at all.
/// </summary>
internal sealed class EcsTaskReport(StoryWriter story, DateTimeOffset start)
{
    private static readonly Dictionary<string, string?> DefaultChain = new()
    {
        ["CloudCredentials:Cloud"] = "aws",
        ["CloudCredentials:Refresh:WarmUpOnStart"] = "true",
    };

    public async Task RunAsync()
    {
        story.Plain("1. ECS task, default chain, only AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (Go v2: \"credentials provider must not be nil\")");
        var clock = new FakeClock(start);
        story.Clock = clock;
        var options = new EmulatorOptions { TimeProvider = clock.Time };
        await using CloudEmulator emulator = await CloudEmulator.StartAsync(options);

        // What ECS gives the task: a relative URI (and, for this emulator, the Authorization token). The ContainerEndpoint
        // option replaces the base http://169.254.170.2 with the emulator, so nothing leaves the machine.
        using var env = new EnvironmentOverride(new Dictionary<string, string?>
        {
            ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = options.Aws.ContainerPath,
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = AwsEmulatorOptions.DefaultContainerAuthorizationToken,
        });
        var settings = new Dictionary<string, string?>(DefaultChain) { ["CloudCredentials:ContainerEndpoint"] = emulator.BaseAddress.ToString() };
        story.Line($"settings: Cloud=aws (no Type: the default chain), ContainerEndpoint={emulator.BaseAddress}, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI={options.Aws.ContainerPath}");

        using (IHost host = SampleHost.Build(clock, emulator.BaseAddress, settings))
        {
            await host.StartAsync(); // WarmUpOnStart: the first credential is fetched here, or the host does not start
            story.Check(emulator.Stats.Aws.ContainerGets == 1, $"host started; the credential was fetched during start ({emulator.Stats.Aws.ContainerGets} container GET)");

            var source = host.Services.GetRequiredService<ICredentialSource>();
            CloudCredential credential = await source.GetCredentialAsync();
            story.Check(
                credential.ProviderName == "aws/default/container" && credential.Expiration is not null,
                $"credential from {credential.ProviderName}: {CloudCredential.MaskAccessKeyId(credential.AccessKeyId)}, expires {credential.Expiration:HH:mm}Z, never null");
            story.Check(
                ReferenceEquals(source, host.Services.GetRequiredService<ICredentialSource>()),
                "ICredentialSource is one DI singleton: there is no copy of the loaded config to pass by mistake");
            HttpClient sts = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(SampleHost.StsClient);
            StsAnswer answer = await SampleHost.GetCallerIdentityAsync(sts);
            story.Check(answer.Status == 200, $"signed STS GetCallerIdentity: {answer.Status} {answer.Arn}");
            await host.StopAsync();
        }

        // The same task with a wrong token: the host refuses to start and says why.
        env.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-the-task-token");
        await StartFailsAsync(clock, emulator, settings, "AWS_CONTAINER_AUTHORIZATION_TOKEN wrong", "403");

        // A FULL_URI over plain http to a host that is not allowed: refused at start, before any connection.
        env.Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", null);
        env.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.10/v2/credentials");
        long containerGets = emulator.Stats.Aws.ContainerGets;
        await StartFailsAsync(clock, emulator, settings, "AWS_CONTAINER_CREDENTIALS_FULL_URI to a disallowed http host", "AWS_CONTAINER_CREDENTIALS_FULL_URI");
        story.Check(emulator.Stats.Aws.ContainerGets == containerGets, "nothing was sent for the refused URI");
    }

    private async Task StartFailsAsync(FakeClock clock, CloudEmulator emulator, Dictionary<string, string?> settings, string what, string mustMention)
    {
        using IHost host = SampleHost.Build(clock, emulator.BaseAddress, settings);
        try
        {
            await host.StartAsync();
            story.Check(false, $"misconfigured task ({what}) started anyway");
            await host.StopAsync();
        }
        catch (Exception ex) when (ex is CredentialUnavailableException or OptionsValidationException)
        {
            // The chain's message lists every member and why it declined; the container member's part is the one that matters here.
            string message = SampleHost.FirstLine(ex);
            int from = message.IndexOf("aws/container:", StringComparison.Ordinal);
            int to = message.IndexOf("; aws/instance_metadata", StringComparison.Ordinal);
            message = from >= 0 && to > from ? "... " + message[from..to] + " ..." : message;
            story.Check(message.Contains(mustMention, StringComparison.Ordinal), $"misconfigured task ({what}): the host did not start ({ex.GetType().Name})");
            story.Plain("             " + message);
        }
    }
}
