using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>Log messages of the profile providers (event ids 3140-3149). File paths and modes only, never a value of a profile.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3140, EventName = "ProfileFileWritableByOthers", Level = LogLevel.Warning,
        Message = "The CLI config is not private: {Exposure}. Other users can change the credentials this application uses; External profiles from it are refused")]
    public static partial void ProfileFileWritableByOthers(ILogger logger, string exposure);
}
