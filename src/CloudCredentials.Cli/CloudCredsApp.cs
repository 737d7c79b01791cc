using System.CommandLine;

namespace CloudCredentials.Cli;

/// <summary>The <c>cloudcreds</c> command line: <c>doctor</c>, <c>get</c> and <c>env</c>.</summary>
internal static class CloudCredsApp
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors and warnings go (stderr).</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The exit code.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Diagnoses CloudCredentials.Extensions on this machine: which provider answers, and why the others decline.")
        {
            DoctorCommand.Create(output, error),
            GetCommand.Create(output, error),
            EnvCommand.Create(output),
        };
        ParseResult parsed = root.Parse(args);
        return parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
