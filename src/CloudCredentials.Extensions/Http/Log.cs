using Microsoft.Extensions.Logging;

namespace CloudCredentials.Http;

/// <summary>Log messages of the HTTP layer (event ids 300–349). Endpoints are logged without query strings; never a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 300, EventName = "HttpRetry", Level = LogLevel.Debug,
        Message = "Retrying {Method} {Endpoint} in {DelayMilliseconds} ms (retry {Retry} of {MaxRetries}) after {Outcome}")]
    public static partial void HttpRetry(ILogger logger, string method, string endpoint, double delayMilliseconds, int retry, int maxRetries, string outcome);

    [LoggerMessage(EventId = 301, EventName = "StsCredentialReceived", Level = LogLevel.Debug,
        Message = "STS {Action} at {Endpoint} returned AccessKeyId {AccessKeyId} expiring at {Expiration} (RequestId {RequestId})")]
    public static partial void StsCredentialReceived(ILogger logger, string action, string endpoint, string accessKeyId, string expiration, string? requestId);

    [LoggerMessage(EventId = 302, EventName = "StsCallFailed", Level = LogLevel.Debug,
        Message = "STS {Action} at {Endpoint} failed: HTTP {StatusCode}, Code {ErrorCode}, RequestId {RequestId}")]
    public static partial void StsCallFailed(ILogger logger, string action, string endpoint, int statusCode, string? errorCode, string? requestId);

    [LoggerMessage(EventId = 310, EventName = "ImdsTokenFetched", Level = LogLevel.Debug,
        Message = "Fetched an IMDSv2 token from {Endpoint}, reused until {ReuseUntil}")]
    public static partial void ImdsTokenFetched(ILogger logger, string endpoint, string reuseUntil);

    [LoggerMessage(EventId = 311, EventName = "ImdsTokenFailedFallingBack", Level = LogLevel.Information,
        Message = "Could not get an IMDSv2 token from {Endpoint} ({Reason}); falling back to IMDSv1")]
    public static partial void ImdsTokenFailedFallingBack(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 315, EventName = "ImdsTokenSkipped", Level = LogLevel.Debug,
        Message = "Not asking {Endpoint} for an IMDSv2 token until {RetryAt}: the last request failed; using IMDSv1")]
    public static partial void ImdsTokenSkipped(ILogger logger, string endpoint, string retryAt);

    [LoggerMessage(EventId = 312, EventName = "ImdsTokenRejected", Level = LogLevel.Information,
        Message = "The metadata service at {Endpoint} rejected the cached IMDSv2 token (HTTP {StatusCode}); dropping it")]
    public static partial void ImdsTokenRejected(ILogger logger, string endpoint, int statusCode);

    [LoggerMessage(EventId = 313, EventName = "ImdsTokenisedGetFailedFallingBack", Level = LogLevel.Information,
        Message = "GET {Endpoint} with an IMDSv2 token failed ({Reason}); retrying without a token (IMDSv1)")]
    public static partial void ImdsTokenisedGetFailedFallingBack(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 314, EventName = "EcsCredentialReceived", Level = LogLevel.Debug,
        Message = "ECS metadata at {Endpoint} returned AccessKeyId {AccessKeyId} for role {RoleName}, expiring at {Expiration}")]
    public static partial void EcsCredentialReceived(ILogger logger, string endpoint, string roleName, string accessKeyId, string expiration);
}
