using System.Globalization;
using System.Text;
using CloudCredentials.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudCredentials.Diagnostics;

/// <summary>
/// Reports whether every credential registration can hand out a valid credential: <see cref="HealthStatus.Healthy"/>
/// when it can, <see cref="HealthStatus.Degraded"/> while a registration serves its still-valid credential after
/// failed refreshes, and the registration's failure status (<see cref="HealthStatus.Unhealthy"/> by default) when a
/// registration has no valid credential and its latest attempt failed.
/// </summary>
/// <remarks>
/// Add it with <c>services.AddHealthChecks().AddCloudCredentialsCheck()</c>. The report names registrations,
/// providers, expirations and failure reasons, never a secret. A registration that has not fetched yet, or whose
/// credential expired without a failed refresh, is healthy: its next use fetches.
/// </remarks>
internal sealed class CloudCredentialsHealthCheck : IHealthCheck
{
    private readonly ICredentialCacheStatusSource? _source;

    internal CloudCredentialsHealthCheck(ICredentialCacheStatusSource? source) => _source = source;

    /// <summary>Checks every credential registration.</summary>
    /// <param name="context">The health check context; its registration's failure status is reported when a registration has no valid credential.</param>
    /// <param name="cancellationToken">Not used: the check only reads cached state.</param>
    /// <returns>The aggregated result, with one data entry per registration.</returns>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        HealthStatus failureStatus = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        IReadOnlyList<CredentialCacheStatus> statuses = _source?.GetStatuses() ?? [];
        if (statuses.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No credential registrations."));
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new StringBuilder();
        HealthStatus worst = HealthStatus.Healthy;
        foreach (CredentialCacheStatus status in statuses)
        {
            string name = status.RegistrationName; // already "(default)" for the unnamed registration
            string description = Describe(status);
            data[name] = description;
            HealthStatus current = status.State switch
            {
                CredentialCacheState.Unavailable => failureStatus,
                CredentialCacheState.Stale => HealthStatus.Degraded,
                _ => HealthStatus.Healthy,
            };
            if (current != HealthStatus.Healthy)
            {
                problems.Append(problems.Length == 0 ? string.Empty : "; ").Append(name).Append(": ").Append(description);
            }

            if (current < worst)
            {
                worst = current;
            }
        }

        string summary = problems.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"All {statuses.Count} credential registrations have a valid credential or will fetch on first use.")
            : problems.ToString();
        return Task.FromResult(new HealthCheckResult(worst, summary, exception: null, data));
    }

    private static string Describe(CredentialCacheStatus status)
    {
        string expiration = status.Expiration is { } e ? CredentialJson.FormatUtc(e) : "never";
        return status.State switch
        {
            CredentialCacheState.NotFetched => $"not fetched yet (provider {status.ProviderName})",
            CredentialCacheState.Valid => $"valid, from {status.ProviderName}, expires {expiration}",
            CredentialCacheState.Expired => $"expired at {expiration}; the next use fetches from {status.ProviderName}",
            CredentialCacheState.Stale => string.Create(
                CultureInfo.InvariantCulture,
                $"serving the current credential (expires {expiration}) after {status.ConsecutiveFailures} failed refresh attempt(s) from {status.ProviderName}: {status.LastFailure}"),
            _ => string.Create(
                CultureInfo.InvariantCulture,
                $"no valid credential after {status.ConsecutiveFailures} failed attempt(s): {status.LastFailure}"),
        };
    }
}
