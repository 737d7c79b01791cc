using Microsoft.Extensions.Logging;

namespace CloudCredentials.Processes;

/// <summary>Log messages of credential commands (event ids 3130, 3131, 3133, 3134). Never the command line, its stdout or a key; stderr only redacted, at Debug.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3130, EventName = "ExternalCommandFinished", Level = LogLevel.Debug,
        Message = "External credential command '{Program}' exited with code {ExitCode} after {ElapsedMilliseconds} ms")]
    public static partial void ExternalCommandFinished(ILogger logger, string program, int exitCode, long elapsedMilliseconds);

    [LoggerMessage(EventId = 3131, EventName = "ExternalCommandTimedOut", Level = LogLevel.Warning,
        Message = "External credential command '{Program}' timed out after {TimeoutMilliseconds} ms and was killed")]
    public static partial void ExternalCommandTimedOut(ILogger logger, string program, long timeoutMilliseconds);

    [LoggerMessage(EventId = 3133, EventName = "ExternalCommandStderr", Level = LogLevel.Debug,
        Message = "External credential command '{Program}' wrote to stderr (redacted, shortened): {Stderr}")]
    public static partial void ExternalCommandStderr(ILogger logger, string program, string stderr);

    [LoggerMessage(EventId = 3134, EventName = "ExternalCommandLeftProcesses", Level = LogLevel.Warning,
        Message = "External credential command '{Program}' exited but left its output open (a background child?); {Killed} process(es) holding it were killed")]
    public static partial void ExternalCommandLeftProcesses(ILogger logger, string program, int killed);
}
