using Microsoft.Extensions.Logging;

namespace CloudCredentials.Http;

/// <summary>Log messages of the CloudSSO and OAuth clients (event ids 3100-3119). Endpoints and statuses only, never tokens or keys.</summary>
internal static partial class SessionClientLog
{
    [LoggerMessage(EventId = 3100, EventName = "CloudSsoRequest", Level = LogLevel.Debug,
        Message = "Requesting CloudSSO credentials from {Endpoint} for account {AccountId}")]
    public static partial void CloudSsoRequest(ILogger logger, string endpoint, string accountId);

    [LoggerMessage(EventId = 3101, EventName = "CloudSsoFailed", Level = LogLevel.Warning,
        Message = "CloudSSO endpoint {Endpoint} answered HTTP {StatusCode} {ErrorCode}")]
    public static partial void CloudSsoFailed(ILogger logger, string endpoint, int statusCode, string? errorCode);

    [LoggerMessage(EventId = 3102, EventName = "CloudSsoSucceeded", Level = LogLevel.Debug,
        Message = "CloudSSO credentials from {Endpoint} expire at {Expiration:o}")]
    public static partial void CloudSsoSucceeded(ILogger logger, string endpoint, DateTimeOffset expiration);

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
}
