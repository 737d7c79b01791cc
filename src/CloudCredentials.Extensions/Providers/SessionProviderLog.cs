using Microsoft.Extensions.Logging;

namespace CloudCredentials.Providers;

/// <summary>Log messages of the OAuth and External providers (event ids 3120-3139). Never tokens, keys or command output.</summary>
internal static partial class SessionProviderLog
{
    [LoggerMessage(EventId = 3120, EventName = "OAuthPersistedStsReused", Level = LogLevel.Debug,
        Message = "Reusing the STS credential stored in OAuth profile '{Profile}' of {ConfigPath}, valid until {Expiration:o}")]
    public static partial void OAuthPersistedStsReused(ILogger logger, string profile, string configPath, DateTimeOffset expiration);

    [LoggerMessage(EventId = 3121, EventName = "OAuthTokenRefreshed", Level = LogLevel.Information,
        Message = "Refreshed the OAuth access token of profile '{Profile}'; it expires at {Expiration:o}")]
    public static partial void OAuthTokenRefreshed(ILogger logger, string profile, DateTimeOffset expiration);

    [LoggerMessage(EventId = 3122, EventName = "OAuthWriteBackFailed", Level = LogLevel.Warning,
        Message = "Could not write the refreshed OAuth tokens and STS credential back to profile '{Profile}' of {ConfigPath}; they are kept in memory for this process")]
    public static partial void OAuthWriteBackFailed(ILogger logger, Exception exception, string profile, string configPath);

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
