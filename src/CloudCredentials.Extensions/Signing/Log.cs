using Microsoft.Extensions.Logging;

namespace CloudCredentials.Signing;

/// <summary>
/// Log messages of the signing handlers (event ids 4000–4019): method, host, path (no query) and a masked key id;
/// never Authorization, a security or bearer token, a secret or a derived key.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, EventName = "RequestSigned", Level = LogLevel.Debug,
        Message = "Signed {Method} {Host}{Path} with {Algorithm}, AccessKeyId {AccessKeyId}, date {Date}")]
    public static partial void RequestSigned(ILogger logger, string method, string host, string path, string algorithm, string accessKeyId, string date);

    [LoggerMessage(EventId = 4001, EventName = "SigningCredentialUnavailable", Level = LogLevel.Warning,
        Message = "Not sending {Method} {Host}{Path}: no credential to sign with ({Reason})")]
    public static partial void CredentialUnavailable(ILogger logger, string method, string host, string path, string reason);
}
