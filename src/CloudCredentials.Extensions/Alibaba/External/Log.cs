using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.External;

/// <summary>Log messages of the External provider (event ids 3130-3139). Never the command line, its output or a key.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3130, EventName = "ExternalCommandFinished", Level = LogLevel.Debug,
        Message = "External credential command '{Program}' exited with code {ExitCode} after {ElapsedMilliseconds} ms")]
    public static partial void ExternalCommandFinished(ILogger logger, string program, int exitCode, long elapsedMilliseconds);

    [LoggerMessage(EventId = 3131, EventName = "ExternalCommandTimedOut", Level = LogLevel.Warning,
        Message = "External credential command '{Program}' timed out after {TimeoutMilliseconds} ms and was killed")]
    public static partial void ExternalCommandTimedOut(ILogger logger, string program, long timeoutMilliseconds);

    [LoggerMessage(EventId = 3132, EventName = "ExternalWriteBackFailed", Level = LogLevel.Warning,
        Message = "Could not write the external command's credential back to profile '{Profile}' of {ConfigPath}")]
    public static partial void ExternalWriteBackFailed(ILogger logger, Exception exception, string profile, string configPath);
}
