using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.OAuth;

/// <summary>Log messages of the OAuth client and provider (event ids 3110-3129). Endpoints, statuses and profile names only, never tokens or keys.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3110, EventName = "OAuthTokenRefreshRequest", Level = LogLevel.Debug,
        Message = "Refreshing the OAuth access token at {Endpoint}")]
    public static partial void OAuthTokenRefreshRequest(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3111, EventName = "OAuthTokenRefreshFailed", Level = LogLevel.Warning,
        Message = "OAuth token endpoint {Endpoint} answered HTTP {StatusCode} {ErrorCode}")]
    public static partial void OAuthTokenRefreshFailed(ILogger logger, string endpoint, int statusCode, string? errorCode);

    [LoggerMessage(EventId = 3112, EventName = "OAuthExchangeRequest", Level = LogLevel.Debug,
        Message = "Exchanging the OAuth access token for STS credentials at {Endpoint}")]
    public static partial void OAuthExchangeRequest(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3113, EventName = "OAuthExchangeFailed", Level = LogLevel.Warning,
        Message = "OAuth exchange endpoint {Endpoint} answered HTTP {StatusCode} {ErrorCode}")]
    public static partial void OAuthExchangeFailed(ILogger logger, string endpoint, int statusCode, string? errorCode);

    [LoggerMessage(EventId = 3120, EventName = "OAuthPersistedStsReused", Level = LogLevel.Debug,
        Message = "Reusing the STS credential stored in OAuth profile '{Profile}' of {ConfigPath}, valid until {Expiration:o}")]
    public static partial void OAuthPersistedStsReused(ILogger logger, string profile, string configPath, DateTimeOffset expiration);

    [LoggerMessage(EventId = 3121, EventName = "OAuthTokenRefreshed", Level = LogLevel.Information,
        Message = "Refreshed the OAuth access token of profile '{Profile}'; it expires at {Expiration:o}")]
    public static partial void OAuthTokenRefreshed(ILogger logger, string profile, DateTimeOffset expiration);

    [LoggerMessage(EventId = 3122, EventName = "OAuthWriteBackFailed", Level = LogLevel.Warning,
        Message = "Could not write the refreshed OAuth tokens and STS credential back to profile '{Profile}' of {ConfigPath}; they are kept in memory for this process")]
    public static partial void OAuthWriteBackFailed(ILogger logger, Exception exception, string profile, string configPath);

    [LoggerMessage(EventId = 3123, EventName = "OAuthConfigLockUnavailable", Level = LogLevel.Warning,
        Message = "Could not lock {ConfigPath} to refresh OAuth profile '{Profile}'; refreshing without the lock, so another process that shares the profile may spend the same refresh token")]
    public static partial void OAuthConfigLockUnavailable(ILogger logger, Exception exception, string profile, string configPath);
}
