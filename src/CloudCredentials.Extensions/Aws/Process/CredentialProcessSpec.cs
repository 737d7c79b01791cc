using System.Globalization;
using CloudCredentials.Credentials;
using CloudCredentials.Internal;
using CloudCredentials.Processes;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Aws.Process;

/// <summary>
/// A <c>credential_process</c> command (<c>process</c>): split into arguments without a shell (POSIX rules), run with a
/// timeout (60 s), its stdout parsed as the version 1 JSON (<see cref="CredentialProcessOutput"/>). A non-zero exit is
/// an error with the exit code and the first line of stderr, secrets stripped; stdout is never quoted.
/// </summary>
/// <param name="Command">The command line.</param>
/// <param name="ConfiguredBy">Where it was configured, for errors (such as <c>profile 'tool'</c>).</param>
/// <param name="Timeout">How long it may run; <see langword="null"/> for <see cref="DefaultTimeout"/>.</param>
internal sealed record CredentialProcessSpec(string Command, string ConfiguredBy, TimeSpan? Timeout = null) : CredentialSpec
{
    /// <summary>How long a command may run: 60 seconds (Go v2's default).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CredentialProcessProvider(this, context.TimeProvider, context.LoggerFactory.CreateLogger<CredentialProcessProvider>());
    }

    /// <summary>Describes the spec without the command (it may carry secrets in arguments).</summary>
    public override string ToString() => $"CredentialProcessSpec {{ ConfiguredBy = {ConfiguredBy} }}";

    private sealed class CredentialProcessProvider(CredentialProcessSpec spec, TimeProvider timeProvider, ILogger logger) : ICredentialProvider
    {
        public string ProviderName => AwsCredentialProviderNames.Process;

        public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
        {
            string where = $" ({spec.ConfiguredBy})";
            IReadOnlyList<string> argv;
            try
            {
                argv = CommandLineSplitter.Split(spec.Command, OperatingSystem.IsWindows());
            }
            catch (FormatException ex)
            {
                throw new CredentialUnavailableException(ProviderName, $"credential_process{where} cannot be split into arguments: {ex.Message}", ex);
            }

            if (argv.Count == 0)
            {
                throw new CredentialUnavailableException(ProviderName, $"credential_process{where} is empty; set it to the command that prints the credentials JSON", null);
            }

            var runner = new ProcessRunner(ProviderName, "credential_process", spec.Timeout ?? DefaultTimeout, where, timeProvider, logger);
            ProcessOutcome outcome = await runner.RunAsync(argv, cancellationToken).ConfigureAwait(false);
            if (outcome.ExitCode != 0)
            {
                string firstLine = SecretRedactor.RedactMessage(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(), maxLength: 200);
                string detail = firstLine.Length == 0 ? "and wrote nothing to stderr" : $"and wrote to stderr: {firstLine}";
                throw new CredentialUnavailableException(
                    ProviderName,
                    string.Create(CultureInfo.InvariantCulture, $"credential_process '{argv[0]}'{where} exited with code {outcome.ExitCode} {detail}"),
                    null);
            }

            return outcome.StdoutTruncated
                ? throw new CredentialUnavailableException(ProviderName, $"credential_process '{argv[0]}'{where} printed more than {ProcessRunner.MaxStdoutChars} characters", null)
                : CredentialProcessOutput.Parse(outcome.Stdout, $"credential_process '{argv[0]}'{where}");
        }
    }
}
