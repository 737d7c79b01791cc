using Microsoft.Extensions.Logging;

namespace CloudCredentials.DependencyInjection;

/// <summary>
/// Log messages of registrations (event ids 3000–3099). Callers pass the options name; the messages show
/// <see cref="CredentialRegistration.DisplayName"/>, so the default registration is <c>(default)</c> here as in every
/// other log, metric and health report.
/// </summary>
internal static partial class RegistrationLog
{
    /// <summary>Logs that a configuration change rebuilt the registration's provider.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="name">The options name of the registration (empty for the default one).</param>
    public static void ProviderReloaded(ILogger logger, string name) => LogProviderReloaded(logger, CredentialRegistration.DisplayName(name));

    /// <summary>Logs that an invalid configuration change was not applied.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="name">The options name of the registration (empty for the default one).</param>
    /// <param name="reason">Why the change is invalid (names keys, never a secret value).</param>
    public static void ReloadRejected(ILogger logger, string name, string reason) => LogReloadRejected(logger, CredentialRegistration.DisplayName(name), reason);

    [LoggerMessage(EventId = 3000, EventName = "ProviderReloaded", Level = LogLevel.Information,
        Message = "CloudCredentials registration '{Registration}': configuration changed, provider rebuilt; the current credential is served until the new provider produces one")]
    private static partial void LogProviderReloaded(ILogger logger, string registration);

    [LoggerMessage(EventId = 3001, EventName = "ReloadRejected", Level = LogLevel.Error,
        Message = "CloudCredentials registration '{Registration}': the changed configuration is invalid and was not applied: {Reason}")]
    private static partial void LogReloadRejected(ILogger logger, string registration, string reason);
}
