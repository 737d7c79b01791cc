using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.External;

/// <summary>Log messages of the External provider (event id 3132; the command's own are in Processes/Log, 3130-3134). Never the command line, its stdout or a key.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3132, EventName = "ExternalWriteBackFailed", Level = LogLevel.Warning,
        Message = "Could not write the external command's credential back to profile '{Profile}' of {ConfigPath}")]
    public static partial void ExternalWriteBackFailed(ILogger logger, Exception exception, string profile, string configPath);
}
