using System.Diagnostics;
using System.Globalization;
using CloudCredentials.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Caching;

/// <summary>
/// The logs, metrics and activity of one <see cref="CredentialCache"/>: the fetch activity and its tags, the refresh
/// count/failure/duration metrics, the status gauge registration, and the log events for a refresh that succeeded,
/// recovered or failed (one warning per failure streak, details at Debug), a background refresh and a provider
/// replacement.
/// </summary>
/// <remarks>Holds no cache state: the cache passes what happened; nothing here is called under the cache's lock.</remarks>
internal sealed class RefreshTelemetry
{
    private readonly string _registrationName;
    private readonly ILogger _logger;
    private readonly CloudCredentialsMetrics? _metrics;

    /// <summary>Creates the telemetry of one registration.</summary>
    /// <param name="registrationName">The registration the cache serves.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="metrics">The metrics, or <see langword="null"/> for none.</param>
    public RefreshTelemetry(string registrationName, ILogger logger, CloudCredentialsMetrics? metrics)
    {
        _registrationName = registrationName;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Formats an expiration (or any UTC instant) for the activity tag and error messages.</summary>
    /// <param name="value">The instant, or <see langword="null"/> for a credential that does not expire.</param>
    /// <returns>ISO 8601 UTC with up to three fraction digits, or <c>never</c>.</returns>
    public static string FormatExpiration(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture) : "never";

    /// <summary>Registers the cache's status for the time-to-expiry gauge.</summary>
    /// <param name="reporter">The cache.</param>
    public void Track(ICredentialCacheStatusReporter reporter) => _metrics?.Track(reporter);

    /// <summary>Removes the cache's status from the time-to-expiry gauge.</summary>
    /// <param name="reporter">The cache.</param>
    public void Untrack(ICredentialCacheStatusReporter reporter) => _metrics?.Untrack(reporter);

    /// <summary>Starts the activity around one fetch.</summary>
    /// <param name="providerName">The provider called.</param>
    /// <returns>The activity, or <see langword="null"/> when nobody listens.</returns>
    public Activity? StartFetch(string providerName) => CloudCredentialsTelemetry.StartFetch(_registrationName, providerName);

    /// <summary>Tags the fetch activity with its outcome.</summary>
    /// <param name="activity">The activity from <see cref="StartFetch"/>, or <see langword="null"/>.</param>
    /// <param name="credential">The credential, when <paramref name="error"/> is null.</param>
    /// <param name="error">The failure, or <see langword="null"/>.</param>
    public static void TagOutcome(Activity? activity, CloudCredential? credential, Exception? error)
    {
        if (activity is null)
        {
            return;
        }

        if (error is null)
        {
            activity.SetTag(CloudCredentialsTelemetry.CredentialTypeTag, credential!.Type);
            activity.SetTag(CloudCredentialsTelemetry.ExpirationTag, FormatExpiration(credential.Expiration));
        }
        else
        {
            activity.SetTag(CloudCredentialsTelemetry.ErrorTypeTag, error.GetType().Name);
            activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        }
    }

    /// <summary>Records and logs a fetch that produced a credential.</summary>
    /// <param name="providerName">The provider called (the metric's tag).</param>
    /// <param name="elapsed">How long the fetch took.</param>
    /// <param name="credential">The credential.</param>
    /// <param name="snapshot">The snapshot published for it.</param>
    /// <param name="previousFailures">The consecutive failures before this success.</param>
    public void Succeeded(string providerName, TimeSpan elapsed, CloudCredential credential, CredentialSnapshot? snapshot, int previousFailures)
    {
        _metrics?.RecordRefresh(_registrationName, providerName, elapsed, null);
        if (previousFailures > 0)
        {
            Log.RefreshRecovered(_logger, _registrationName, credential.ProviderName, previousFailures);
        }

        string maskedKeyId = CloudCredential.MaskAccessKeyId(credential.AccessKeyId);
        if (credential.Expiration is { } expiration)
        {
            Log.CredentialRefreshed(
                _logger, _registrationName, credential.Type, credential.ProviderName, maskedKeyId, expiration, snapshot?.RefreshAt ?? expiration);
        }
        else
        {
            Log.StaticCredentialCached(_logger, _registrationName, credential.Type, credential.ProviderName, maskedKeyId);
        }
    }

    /// <summary>
    /// Records and logs a failed fetch. The first failure of a streak (since the last success, the start or a provider
    /// replacement) is one warning with the reason and no exception, unless <paramref name="reportedByCaller"/>; every
    /// failure is also logged at Debug with its exception, so a failing request path does not flood the log.
    /// </summary>
    /// <param name="providerName">The provider called.</param>
    /// <param name="elapsed">How long the fetch took.</param>
    /// <param name="error">The failure.</param>
    /// <param name="snapshot">The snapshot now published, or <see langword="null"/>.</param>
    /// <param name="failures">The consecutive failures, this one included; zero for a replaced provider's failure, which is not counted.</param>
    /// <param name="nextAttempt">When the next attempt may start.</param>
    /// <param name="reportedByCaller">Whether the caller that started the fetch logs its failure itself (a warm-up at host start).</param>
    public void Failed(
        string providerName, TimeSpan elapsed, Exception error, CredentialSnapshot? snapshot, int failures, DateTimeOffset nextAttempt, bool reportedByCaller)
    {
        _metrics?.RecordRefresh(_registrationName, providerName, elapsed, error);
        if (failures == 1 && !reportedByCaller)
        {
            if (snapshot is not null && snapshot.Phase != CredentialPhase.Expired)
            {
                Log.RefreshFailedServingStale(_logger, _registrationName, providerName, snapshot.Credential.Expiration, nextAttempt, error.Message);
            }
            else
            {
                Log.RefreshFailedNoCredential(_logger, _registrationName, providerName, error.Message);
            }
        }

        Log.RefreshFailureDetails(_logger, _registrationName, providerName, failures, error.Message, error);
    }

    /// <summary>Logs one static-stability extension (a warning per extension): the credential is served past its expiration.</summary>
    /// <param name="providerName">The provider called.</param>
    /// <param name="credential">The credential served.</param>
    /// <param name="nextAttempt">When the next attempt may start.</param>
    /// <param name="error">Why no fresh credential came.</param>
    public void ExpirationExtended(string providerName, CloudCredential credential, DateTimeOffset nextAttempt, Exception error) =>
        Log.CredentialExpirationExtended(
            _logger, _registrationName, providerName, CloudCredential.MaskAccessKeyId(credential.AccessKeyId), credential.Expiration, nextAttempt, error.Message);

    /// <summary>Logs that a background refresh started while the current credential is served.</summary>
    /// <param name="providerName">The provider called.</param>
    public void BackgroundRefreshStarted(string providerName) => Log.BackgroundRefreshStarted(_logger, _registrationName, providerName);

    /// <summary>Logs a provider replacement (options reload).</summary>
    /// <param name="oldProviderName">The provider replaced.</param>
    /// <param name="newProviderName">The new provider.</param>
    public void ProviderReplaced(string oldProviderName, string newProviderName) =>
        Log.ProviderReplaced(_logger, _registrationName, oldProviderName, newProviderName);
}
