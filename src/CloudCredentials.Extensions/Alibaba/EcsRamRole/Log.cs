using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.EcsRamRole;

/// <summary>Log messages of the ECS metadata client and IMDS session (event ids 310-319). Endpoints only; never a token or a secret.</summary>
internal static partial class Log
{
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

    [LoggerMessage(EventId = 316, EventName = "MetadataUnreachable", Level = LogLevel.Debug,
        Message = "The metadata service at {Endpoint} did not answer a short probe ({Reason}); the default chain skips it until {RetryAt} (MetadataUnreachableTtl)")]
    public static partial void MetadataUnreachable(ILogger logger, string endpoint, string reason, string retryAt);

    [LoggerMessage(EventId = 314, EventName = "EcsCredentialReceived", Level = LogLevel.Debug,
        Message = "ECS metadata at {Endpoint} returned AccessKeyId {AccessKeyId} for role {RoleName}, expiring at {Expiration}")]
    public static partial void EcsCredentialReceived(ILogger logger, string endpoint, string roleName, string accessKeyId, string expiration);
}
