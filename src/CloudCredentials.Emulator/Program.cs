using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CloudCredentials.Emulator.Internal;

namespace CloudCredentials.Emulator;

/// <summary>Program mode: runs one emulator until Ctrl+C (or SIGTERM) and prints the settings to use with it.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string? error = EmulatorCommandLine.TryParse(args, out EmulatorCommandLine commandLine);
        if (error is not null)
        {
            await Console.Error.WriteLineAsync(error + Environment.NewLine + Environment.NewLine + EmulatorCommandLine.Usage).ConfigureAwait(false);
            return 2;
        }

        if (commandLine.ShowHelp)
        {
            Console.WriteLine(EmulatorCommandLine.Usage);
            return 0;
        }

        EmulatorOptions options = commandLine.Options;
        options.ConsoleWarnings = true;
        options.RequestLog = static line => Console.WriteLine("[emulator] " + line);

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        try
        {
            CloudEmulator emulator;
            try
            {
                emulator = await CloudEmulator.StartAsync(options, stop.Token).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Could not listen on 127.0.0.1:{options.Port}: {ex.Message} Pick another --port (or 0 for any free port).")).ConfigureAwait(false);
                return 1;
            }
            catch (OperationCanceledException)
            {
                return 0;
            }

            await using (emulator.ConfigureAwait(false))
            {
                Console.WriteLine(Banner(emulator, options));
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine("[emulator] stopping");
                }
            }

            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The start-up text: addresses, and settings to paste. The only key pair it prints is the fake demo pair.</summary>
    internal static string Banner(CloudEmulator emulator, EmulatorOptions options)
    {
        string baseAddress = emulator.BaseAddress.GetLeftPart(UriPartial.Authority);
        string roleArn = "acs:ram::1234567890123456:role/" + options.RoleName;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"CloudCredentials emulator listening on {baseAddress}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  ECS metadata     {baseAddress}/latest/meta-data/ram/security-credentials/{options.RoleName}  (IMDSv2 token: PUT {baseAddress}/latest/api/token{(options.RequireImdsV2 ? "; IMDSv1 refused" : string.Empty)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  STS              {baseAddress}/  (AssumeRole, AssumeRoleWithOIDC)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  credentials URI  {emulator.CredentialsUri}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  control          {baseAddress}/_emulator/stats, {baseAddress}/_emulator/faults");
        text.AppendLine(CultureInfo.InvariantCulture, $"  credential lifetime {options.CredentialLifetime.TotalSeconds} s");
        text.AppendLine();
        text.AppendLine("EMULATOR-ONLY FAKE CREDENTIALS: the AccessKey pair below is a fixed demo value that only this emulator accepts.");
        text.AppendLine("It is not a real Alibaba Cloud key. Never put real keys next to these settings.");
        text.AppendLine();
        text.AppendLine("appsettings.Development.json, AssumeRole signed with the demo pair:");
        text.AppendLine("  \"CloudCredentials\": {");
        text.AppendLine("    \"Type\": \"ram_role_arn\",");
        text.AppendLine(CultureInfo.InvariantCulture, $"    \"AccessKeyId\": \"{EmulatorOptions.DefaultAccessKeyId}\",");
        text.AppendLine(CultureInfo.InvariantCulture, $"    \"AccessKeySecret\": \"{EmulatorOptions.DefaultAccessKeySecret}\",");
        text.AppendLine(CultureInfo.InvariantCulture, $"    \"RoleArn\": \"{roleArn}\",");
        text.AppendLine(CultureInfo.InvariantCulture, $"    \"StsEndpoint\": \"{baseAddress}\"");
        text.AppendLine("  }");
        text.AppendLine("ECS RAM role:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  \"CloudCredentials\": {{ \"Type\": \"ecs_ram_role\", \"MetadataEndpoint\": \"{baseAddress}\" }}");
        text.AppendLine("Credentials URI:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  \"CloudCredentials\": {{ \"Type\": \"credentials_uri\", \"CredentialsUri\": \"{emulator.CredentialsUri}\" }}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  or: export ALIBABA_CLOUD_CREDENTIALS_URI={emulator.CredentialsUri}");
        text.AppendLine();
        text.AppendLine("Signed calls (ACS3-HMAC-SHA256, verified by the emulator's own code):");
        text.AppendLine(CultureInfo.InvariantCulture, $"  STS GetCallerIdentity  GET or POST {baseAddress}/ with x-acs-action: GetCallerIdentity, x-acs-version: 2015-04-01");
        text.AppendLine(CultureInfo.InvariantCulture, $"  ROA echo               any method {baseAddress}/roa/echo/<path>  (bearer token: x-acs-bearer-token: {EmulatorOptions.DefaultBearerToken})");
        text.AppendLine();
        AppendAws(text, baseAddress, options.Aws);
        text.AppendLine();
        text.Append("Press Ctrl+C to stop.");
        return text.ToString();
    }

    /// <summary>The AWS part of the banner: environment variables to paste (fake, emulator-only values).</summary>
    private static void AppendAws(StringBuilder text, string baseAddress, AwsEmulatorOptions aws)
    {
        text.AppendLine("AWS (same port; the key pair below is an emulator-only fake):");
        text.AppendLine(CultureInfo.InvariantCulture, $"  EC2 IMDS   role {aws.RoleName}{(aws.ImdsV1Disabled ? ", IMDSv1 disabled" : string.Empty)}{(aws.MaxImdsTokenTtl is { } ttl ? $", token TTL at most {ttl.TotalSeconds} s" : string.Empty)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    export AWS_EC2_METADATA_SERVICE_ENDPOINT={baseAddress}");
        text.AppendLine("  Container (EKS Pod Identity style; ECS style with --aws-container-no-auth)");
        text.AppendLine(CultureInfo.InvariantCulture, $"    export AWS_CONTAINER_CREDENTIALS_FULL_URI={baseAddress}{aws.ContainerPath}");
        if (aws.ContainerAuthorizationToken is { } token)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    export AWS_CONTAINER_AUTHORIZATION_TOKEN={token}");
        }

        text.AppendLine("  STS (AssumeRole and GetCallerIdentity signed with SigV4 for service sts, any region; AssumeRoleWithWebIdentity unsigned)");
        text.AppendLine(CultureInfo.InvariantCulture, $"    export AWS_ENDPOINT_URL_STS={baseAddress}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    export AWS_ACCESS_KEY_ID={AwsEmulatorOptions.DefaultAccessKeyId}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    export AWS_SECRET_ACCESS_KEY={AwsEmulatorOptions.DefaultSecretAccessKey}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    role ARN to assume: arn:aws:iam::{AwsEmulatorOptions.AccountId}:role/EmulatorRole");
    }
}
