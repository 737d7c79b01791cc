using Microsoft.Extensions.Logging;

namespace CloudCredentials.Aws.InstanceMetadata;

/// <summary>Log messages of the AWS IMDS client and provider (event ids 4600-4609). Endpoints only; never a token or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4600, EventName = "AwsImdsTokenFetched", Level = LogLevel.Debug,
        Message = "Fetched an IMDSv2 token from {Endpoint}, reused until {ReuseUntil}")]
    public static partial void TokenFetched(ILogger logger, string endpoint, string reuseUntil);

    [LoggerMessage(EventId = 4601, EventName = "AwsImdsTokenRefusedUsingV1", Level = LogLevel.Warning,
        Message = "The IMDSv2 token request to {Endpoint} {Outcome}; falling back to IMDSv1 for a short while (set AWS_EC2_METADATA_V1_DISABLED=true to forbid this)")]
    public static partial void TokenRefusedUsingV1(ILogger logger, string endpoint, string outcome);

    [LoggerMessage(EventId = 4602, EventName = "AwsImdsTokenRejected", Level = LogLevel.Information,
        Message = "GET {Endpoint} answered 401 to the cached IMDSv2 token; dropping it and fetching a new one")]
    public static partial void TokenRejected(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 4603, EventName = "AwsImdsV1Unauthorized", Level = LogLevel.Information,
        Message = "GET {Endpoint} without a token (IMDSv1) answered 401; going back to IMDSv2 tokens")]
    public static partial void V1Unauthorized(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 4604, EventName = "AwsImdsCredentialReceived", Level = LogLevel.Debug,
        Message = "EC2 instance metadata at {Endpoint} returned AccessKeyId {AccessKeyId} for role {RoleName}, expiring at {Expiration}")]
    public static partial void CredentialReceived(ILogger logger, string endpoint, string roleName, string accessKeyId, string expiration);
}
