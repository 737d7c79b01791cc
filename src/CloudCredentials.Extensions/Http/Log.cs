using Microsoft.Extensions.Logging;

namespace CloudCredentials.Http;

/// <summary>Log messages of the HTTP layer (event ids 300–349). Endpoints are logged without query strings; never a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 300, EventName = "HttpRetry", Level = LogLevel.Debug,
        Message = "Retrying {Method} {Endpoint} in {DelayMilliseconds} ms (retry {Retry} of {MaxRetries}) after {Outcome}")]
    public static partial void HttpRetry(ILogger logger, string method, string endpoint, double delayMilliseconds, int retry, int maxRetries, string outcome);
}
