using Microsoft.Extensions.Logging;

namespace CloudCredentials.Aws.Sts;

/// <summary>Log messages of the AWS STS client (event ids 4300-4309). Endpoints without query strings; never a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4300, EventName = "AwsStsCredentialReceived", Level = LogLevel.Debug,
        Message = "AWS STS {Action} at {Endpoint} returned AccessKeyId {AccessKeyId} expiring at {Expiration} (RequestId {RequestId})")]
    public static partial void CredentialReceived(ILogger logger, string action, string endpoint, string accessKeyId, string expiration, string? requestId);

    [LoggerMessage(EventId = 4301, EventName = "AwsStsCallFailed", Level = LogLevel.Debug,
        Message = "AWS STS {Action} at {Endpoint} failed: HTTP {StatusCode}, Code {ErrorCode}, RequestId {RequestId}")]
    public static partial void CallFailed(ILogger logger, string action, string endpoint, int statusCode, string? errorCode, string? requestId);
}
