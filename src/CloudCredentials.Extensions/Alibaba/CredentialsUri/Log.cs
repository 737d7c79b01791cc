using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.CredentialsUri;

/// <summary>Log messages of the credentials-URI client (event ids 320-329). Endpoints without query strings; never a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 320, EventName = "CredentialsUriCredentialReceived", Level = LogLevel.Debug,
        Message = "Credentials URI {Endpoint} returned AccessKeyId {AccessKeyId} expiring at {Expiration}")]
    public static partial void CredentialsUriCredentialReceived(ILogger logger, string endpoint, string accessKeyId, string expiration);
}
