using Microsoft.Extensions.Logging;

namespace CloudCredentials.DependencyInjection;

/// <summary>Log messages of registrations (event ids 3000–3099).</summary>
internal static partial class RegistrationLog
{
    [LoggerMessage(EventId = 3000, EventName = "ProviderReloaded", Level = LogLevel.Information,
        Message = "CloudCredentials registration '{Registration}': configuration changed, provider rebuilt; the current credential is served until the new provider produces one")]
    public static partial void ProviderReloaded(ILogger logger, string registration);

    [LoggerMessage(EventId = 3001, EventName = "ReloadRejected", Level = LogLevel.Error,
        Message = "CloudCredentials registration '{Registration}': the changed configuration is invalid and was not applied: {Reason}")]
    public static partial void ReloadRejected(ILogger logger, string registration, string reason);
}
