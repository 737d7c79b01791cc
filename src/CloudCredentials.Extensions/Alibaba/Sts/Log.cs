using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.Sts;

/// <summary>Log messages of the STS client (event ids 301-309). Endpoints without query strings; never a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 301, EventName = "StsCredentialReceived", Level = LogLevel.Debug,
        Message = "STS {Action} at {Endpoint} returned AccessKeyId {AccessKeyId} expiring at {Expiration} (RequestId {RequestId})")]
    public static partial void StsCredentialReceived(ILogger logger, string action, string endpoint, string accessKeyId, string expiration, string? requestId);

    [LoggerMessage(EventId = 302, EventName = "StsCallFailed", Level = LogLevel.Debug,
        Message = "STS {Action} at {Endpoint} failed: HTTP {StatusCode}, Code {ErrorCode}, RequestId {RequestId}")]
    public static partial void StsCallFailed(ILogger logger, string action, string endpoint, int statusCode, string? errorCode, string? requestId);
}
