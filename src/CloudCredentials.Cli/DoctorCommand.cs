using System.CommandLine;
using CloudCredentials.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Cli;

/// <summary>
/// <c>cloudcreds doctor</c>: builds the registration as <c>AddCloudCredentials</c> does, asks each provider in order
/// (<see cref="CloudCredentialsDiagnostics.DiagnoseAsync"/>) and prints a table, then the answer.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var registration = new RegistrationOptions();
        var command = new Command("doctor", "Shows which provider answers on this machine, and why each of the others declines.");
        registration.AddTo(command);
        command.SetAction((parsed, cancellationToken) => CommandErrors.RunAsync(error, async () =>
        {
            await using ServiceProvider services = registration.BuildServices(parsed);
            CredentialDiagnosticReport report = await CloudCredentialsDiagnostics.DiagnoseAsync(services, registration.Name(parsed), cancellationToken).ConfigureAwait(false);
            Write(output, report, registration.Describe(parsed));
            return report.Found ? ExitCodes.Found : ExitCodes.NotFound;
        }));
        return command;
    }

    private static void Write(TextWriter output, CredentialDiagnosticReport report, string source)
    {
        output.WriteLine($"Registration {report.RegistrationName}: provider '{report.ProviderName}' ({source})");
        output.WriteLine();
        var table = new TextTable("#", "PROVIDER", "CONFIGURED", "RESULT", "TIME", "REASON");
        foreach (ProviderDiagnostic provider in report.Providers)
        {
            table.Add(
                provider.Order.ToString(System.Globalization.CultureInfo.InvariantCulture),
                provider.ProviderName,
                provider.Configured ? "yes" : "no",
                Format.Outcome(provider.Outcome),
                provider.Outcome is ProviderOutcome.NotReached or ProviderOutcome.Skipped ? "-" : Format.Milliseconds(provider.Elapsed),
                provider.Reason);
        }

        table.WriteTo(output);
        output.WriteLine();
        if (report.Found)
        {
            output.WriteLine($"Answer: {report.AnsweringProvider} (in {Format.Milliseconds(report.Elapsed)})");
            output.WriteLine($"  type:          {report.CredentialType}");
            output.WriteLine($"  provider:      {report.CredentialProviderName}");
            output.WriteLine($"  access key id: {report.MaskedAccessKeyId}");
            output.WriteLine($"  expires:       {Format.Expiration(report.Expiration)}");
        }
        else
        {
            output.WriteLine($"No credential: none of the providers answered (in {Format.Milliseconds(report.Elapsed)}). Fix one of the reasons above; 'cloudcreds env' lists the variables read.");
        }
    }
}
