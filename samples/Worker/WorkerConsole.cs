namespace CloudCredentials.Samples.Worker;

/// <summary>Where the worker prints, and the exit code it leaves for <c>Program</c>.</summary>
/// <param name="output">Standard output: the resolved credential.</param>
/// <param name="error">Standard error: why no credential was resolved.</param>
internal sealed class WorkerConsole(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>0 when a credential was resolved, 1 when none was.</summary>
    public int ExitCode { get; set; }
}
