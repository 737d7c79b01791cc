using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.CloudSso;

/// <summary>Log messages of the CloudSSO client (event ids 3100-3109). Endpoints and statuses only, never tokens or keys.</summary>
internal static partial class Log
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
}
