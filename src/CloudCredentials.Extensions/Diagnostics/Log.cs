using Microsoft.Extensions.Logging;

namespace CloudCredentials.Diagnostics;

/// <summary>
/// Source-generated log messages of the credential caches (event ids 100-199), the refresh service (200-299) and
/// the health check (300-399). Messages carry registration and provider names, masked AccessKey IDs, expirations
/// and failure reasons; never a secret.
/// </summary>
/// <remarks>
/// Failures are logged once per failure streak of a registration: the first failure after a success (or since start,
/// or since the provider was replaced) is one Warning with the reason and no exception; every failure, that one
/// included, is also logged at Debug with its exception (<see cref="RefreshFailureDetails"/>); the success that ends
/// the streak logs one Information line with the number of failures (<see cref="RefreshRecovered"/>).
/// </remarks>
internal static partial class Log
{
    [LoggerMessage(
        EventId = 100,
        EventName = "CredentialRefreshed",
        Level = LogLevel.Information,
        Message = "Credential '{Registration}': got a credential of type {CredentialType} from {Provider} (AccessKeyId {AccessKeyId}) that expires at {Expiration:O}; next refresh at {RefreshAt:O}.")]
    public static partial void CredentialRefreshed(
        ILogger logger, string registration, string credentialType, string provider, string accessKeyId, DateTimeOffset expiration, DateTimeOffset refreshAt);

    [LoggerMessage(
        EventId = 101,
        EventName = "StaticCredentialCached",
        Level = LogLevel.Information,
        Message = "Credential '{Registration}': got a credential of type {CredentialType} from {Provider} (AccessKeyId {AccessKeyId}) that does not expire; it is cached until the options change.")]
    public static partial void StaticCredentialCached(
        ILogger logger, string registration, string credentialType, string provider, string accessKeyId);

    [LoggerMessage(
        EventId = 102,
        EventName = "BackgroundRefreshStarted",
        Level = LogLevel.Debug,
        Message = "Credential '{Registration}': refreshing from {Provider} in the background while the current credential is served.")]
    public static partial void BackgroundRefreshStarted(ILogger logger, string registration, string provider);

    [LoggerMessage(
        EventId = 103,
        EventName = "RefreshFailedServingStale",
        Level = LogLevel.Warning,
        Message = "Credential '{Registration}': refreshing from {Provider} failed; still serving the current credential, which expires at {Expiration:O}; next attempt at {NextAttempt:O}; further failures are logged at Debug until a fetch succeeds. Reason: {Reason}")]
    public static partial void RefreshFailedServingStale(
        ILogger logger, string registration, string provider, DateTimeOffset? expiration, DateTimeOffset nextAttempt, string reason);

    [LoggerMessage(
        EventId = 104,
        EventName = "RefreshFailedNoCredential",
        Level = LogLevel.Warning,
        Message = "Credential '{Registration}': getting a credential from {Provider} failed and no valid credential is cached; callers get an error, and further failures are logged at Debug, until a fetch succeeds. Reason: {Reason}")]
    public static partial void RefreshFailedNoCredential(ILogger logger, string registration, string provider, string reason);

    [LoggerMessage(
        EventId = 105,
        EventName = "RefreshRecovered",
        Level = LogLevel.Information,
        Message = "Credential '{Registration}': {Provider} produced a credential again after {FailureCount} failed attempts.")]
    public static partial void RefreshRecovered(ILogger logger, string registration, string provider, int failureCount);

    [LoggerMessage(
        EventId = 106,
        EventName = "ProviderReplaced",
        Level = LogLevel.Information,
        Message = "Credential '{Registration}': the options changed, switching from {OldProvider} to {NewProvider}; the current credential is served until {NewProvider} produces one.")]
    public static partial void ProviderReplaced(ILogger logger, string registration, string oldProvider, string newProvider);

    [LoggerMessage(
        EventId = 107,
        EventName = "RefreshFailureDetails",
        Level = LogLevel.Debug,
        Message = "Credential '{Registration}': fetching from {Provider} failed ({FailureCount} in a row). Reason: {Reason}")]
    public static partial void RefreshFailureDetails(ILogger logger, string registration, string provider, int failureCount, string reason, Exception exception);

    [LoggerMessage(
        EventId = 108,
        EventName = "CredentialExpirationExtended",
        Level = LogLevel.Warning,
        Message = "Credential '{Registration}': {Provider} could not produce a fresh credential, so the credential from it (AccessKeyId {AccessKeyId}) that expires or expired at {Expiration:O} is served past its expiration (static stability, AWS instance metadata and container credentials only); next attempt at {NextAttempt:O}. Reason: {Reason}")]
    public static partial void CredentialExpirationExtended(
        ILogger logger, string registration, string provider, string accessKeyId, DateTimeOffset? expiration, DateTimeOffset nextAttempt, string reason);

    [LoggerMessage(
        EventId = 200,
        EventName = "RefreshServiceStarted",
        Level = LogLevel.Debug,
        Message = "Credential refresh service started with {CacheCount} credential registrations.")]
    public static partial void RefreshServiceStarted(ILogger logger, int cacheCount);

    [LoggerMessage(
        EventId = 201,
        EventName = "WarmUpStarting",
        Level = LogLevel.Information,
        Message = "Credential '{Registration}': fetching the first credential from {Provider} during host start.")]
    public static partial void WarmUpStarting(ILogger logger, string registration, string provider);

    [LoggerMessage(
        EventId = 202,
        EventName = "WarmUpFailed",
        Level = LogLevel.Critical,
        Message = "Credential '{Registration}': no credential could be fetched during host start (WarmUpOnStart is on), so the host does not start. Reason: {Reason}")]
    public static partial void WarmUpFailed(ILogger logger, string registration, string reason);

    [LoggerMessage(
        EventId = 203,
        EventName = "RefreshServiceSleeping",
        Level = LogLevel.Trace,
        Message = "Credential refresh service sleeping until {WakeAt:O} ({RefreshingCount} refreshes under way).")]
    public static partial void RefreshServiceSleeping(ILogger logger, DateTimeOffset? wakeAt, int refreshingCount);

    [LoggerMessage(
        EventId = 204,
        EventName = "RefreshServiceStopped",
        Level = LogLevel.Debug,
        Message = "Credential refresh service stopped.")]
    public static partial void RefreshServiceStopped(ILogger logger);

    [LoggerMessage(
        EventId = 205,
        EventName = "RefreshServiceError",
        Level = LogLevel.Error,
        Message = "Credential refresh service hit an unexpected error; it keeps running.")]
    public static partial void RefreshServiceError(ILogger logger, Exception exception);

    [LoggerMessage(
        EventId = 206,
        EventName = "ScheduledRefreshFailed",
        Level = LogLevel.Debug,
        Message = "Credential '{Registration}': the scheduled refresh failed; the cache retries on its backoff schedule. Reason: {Reason}")]
    public static partial void ScheduledRefreshFailed(ILogger logger, string registration, string reason);
}
