using System.CommandLine;
using CloudCredentials.Diagnostics;

namespace CloudCredentials.Cli;

/// <summary><c>cloudcreds env</c>: every environment variable the library reads, its value (secrets hidden) and what it does.</summary>
internal static class EnvCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("env", "Lists every environment variable the library reads, its current value (secrets hidden) and what it does.");
        command.SetAction(_ =>
        {
            var table = new TextTable("VARIABLE", "CLOUD", "VALUE", "WHAT IT DOES");
            foreach (EnvironmentVariableInfo variable in CloudCredentialsDiagnostics.EnvironmentVariables)
            {
                table.Add(variable.Name, variable.Cloud, Value(variable), variable.Description);
            }

            table.WriteTo(output);
            return ExitCodes.Found;
        });
        return command;
    }

    /// <summary>The value as shown: <c>-</c> when unset, hidden for a secret, masked for an access key ID.</summary>
    internal static string Value(EnvironmentVariableInfo variable)
    {
        string? value = Environment.GetEnvironmentVariable(variable.Name);
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        if (variable.IsSecret)
        {
            return "(set, hidden)";
        }

        return variable.Name.EndsWith("ACCESS_KEY_ID", StringComparison.Ordinal) ? CloudCredential.MaskAccessKeyId(value) : value;
    }
}
