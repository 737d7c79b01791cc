using System.Globalization;
using CloudCredentials.Processes;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.External;

/// <summary>
/// Runs the <c>process_command</c> of an <see cref="ExternalProvider"/> with the shared <see cref="ProcessRunner"/> and
/// returns its stdout. stdout holds secrets and is never quoted; a failure says how many bytes the command wrote to
/// stderr (which is logged redacted at Debug).
/// </summary>
internal sealed class ExternalProcessRunner
{
    private const string Name = ExternalProvider.Name;
    private readonly ProcessRunner _runner;
    private readonly string _where;

    /// <summary>Creates the runner.</summary>
    /// <param name="timeout">How long the command may run before its process tree is killed.</param>
    /// <param name="where">Names the profile in error messages, such as <c> (profile 'ext')</c>, or is empty.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ExternalProcessRunner(TimeSpan timeout, string where, TimeProvider timeProvider, ILogger logger)
    {
        _runner = new ProcessRunner(Name, "process_command", timeout, where, timeProvider, logger);
        _where = where;
    }

    /// <summary>Runs the command and returns what it printed on stdout.</summary>
    /// <param name="argv">The program and its arguments; at least the program.</param>
    /// <param name="cancellationToken">Cancels the run (the process tree is killed).</param>
    /// <returns>The whole stdout of a command that exited with status 0.</returns>
    /// <exception cref="CredentialUnavailableException">The command could not start, timed out, failed, or printed too much.</exception>
    public async Task<string> RunAsync(IReadOnlyList<string> argv, CancellationToken cancellationToken)
    {
        ProcessOutcome outcome = await _runner.RunAsync(argv, cancellationToken).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            long bytes = outcome.StderrBytes;
            string detail = bytes == 0
                ? string.Empty
                : string.Create(CultureInfo.InvariantCulture, $"; the command wrote {bytes} {(bytes == 1 ? "byte" : "bytes")} to stderr (logged at Debug)");
            throw new CredentialUnavailableException(
                Name,
                string.Create(CultureInfo.InvariantCulture, $"failed to execute external command: exit status {outcome.ExitCode}{_where}{detail}"),
                null);
        }

        if (outcome.StdoutTruncated)
        {
            throw new CredentialUnavailableException(Name, $"failed to parse external command output{_where}: it is longer than {ProcessRunner.MaxStdoutChars} characters", null);
        }

        return outcome.Stdout;
    }
}
