using Microsoft.Extensions.Logging;

namespace CloudCredentials.Aws.Container;

/// <summary>Log messages of the AWS container provider (event ids 4610-4619). Endpoints only; never a token or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4610, EventName = "AwsContainerCredentialReceived", Level = LogLevel.Debug,
        Message = "The container credential endpoint {Endpoint} returned AccessKeyId {AccessKeyId}, expiring at {Expiration}")]
    public static partial void CredentialReceived(ILogger logger, string endpoint, string accessKeyId, string expiration);
}
