using System.Globalization;
using System.Text;
using CloudCredentials.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudCredentials.Diagnostics;

/// <summary>
/// Reports whether every credential registration can hand out a valid credential: <see cref="HealthStatus.Healthy"/>
/// when it can, <see cref="HealthStatus.Degraded"/> while a registration serves its still-valid credential after
/// failed refreshes, and the registration's failure status (<see cref="HealthStatus.Unhealthy"/> by default) when a
/// registration has no valid credential.
/// </summary>
/// <remarks>
/// Add it with <c>services.AddHealthChecks().AddCloudCredentialsCheck()</c>. A registration with no credential to
/// serve (nothing fetched yet, expired, or its latest attempt failed) is first asked for one, as a request would ask:
/// the check starts or joins the registration's shared fetch and waits for it at most the check's timeout
/// (<see cref="DefaultTimeout"/> when the check has none) or until its token is cancelled, then reports the outcome.
/// So a readiness probe does not pass before a credential could be had. A fetch that has not ended by then goes on in
/// the background and is reported as no credential yet. The report names registrations, providers, expirations and
/// failure reasons, never a secret.
/// </remarks>
internal sealed class CloudCredentialsHealthCheck : IHealthCheck
{
    /// <summary>How long the check waits for the fetches it starts when its registration sets no timeout.</summary>
    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ICredentialCacheStatusSource? _source;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the check.</summary>
    /// <param name="source">The registrations, or <see langword="null"/> when none are registered.</param>
    /// <param name="timeProvider">The clock the wait for a fetch is timed on; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    internal CloudCredentialsHealthCheck(ICredentialCacheStatusSource? source, TimeProvider? timeProvider = null)
    {
        _source = source;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Checks every credential registration, first asking those without a credential for one.</summary>
    /// <param name="context">
    /// The health check context: its registration's failure status is reported when a registration has no valid
    /// credential, and its timeout bounds the wait for a fetch.
    /// </param>
    /// <param name="cancellationToken">Ends the wait for a fetch (the fetch goes on); the report is still returned.</param>
    /// <returns>The aggregated result, with one data entry per registration.</returns>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        HealthStatus failureStatus = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        if (_source is null)
        {
            return HealthCheckResult.Healthy("No credential registrations.");
        }

        TimeSpan timeout = WaitLimit(context?.Registration?.Timeout);
        bool timedOut = await RequestCredentialsAsync(_source, timeout, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<CredentialCacheStatus> statuses = _source.GetStatuses();
        if (statuses.Count == 0)
        {
            return HealthCheckResult.Healthy("No credential registrations.");
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new StringBuilder();
        HealthStatus worst = HealthStatus.Healthy;
        foreach (CredentialCacheStatus status in statuses)
        {
            string name = status.RegistrationName; // already "(default)" for the unnamed registration
            string description = Describe(status, timedOut, timeout);
            data[name] = description;
            HealthStatus current = status.State switch
            {
                CredentialCacheState.Valid => HealthStatus.Healthy,
                CredentialCacheState.Stale => HealthStatus.Degraded,
                _ => failureStatus, // asked for a credential and still has none to serve
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
            ? string.Create(CultureInfo.InvariantCulture, $"All {statuses.Count} credential registrations have a valid credential.")
            : problems.ToString();
        return new HealthCheckResult(worst, summary, exception: null, data);
    }

    /// <summary>The check's timeout, or <see cref="DefaultTimeout"/> when it has none (zero, negative or infinite).</summary>
    private static TimeSpan WaitLimit(TimeSpan? timeout) =>
        timeout is { } t && t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan ? t : DefaultTimeout;

    /// <summary>Asks the registrations without a credential for one and waits; true when the timeout ended the wait.</summary>
    private async Task<bool> RequestCredentialsAsync(ICredentialCacheStatusSource source, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(timeout, _timeProvider);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
        try
        {
            await source.RequestCredentialsAsync(wait.Token).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            // Report what is known now; the fetches go on in the background.
            return limit.IsCancellationRequested;
        }
    }

    private static string Describe(CredentialCacheStatus status, bool timedOut, TimeSpan timeout)
    {
        string expiration = status.Expiration is { } e ? CredentialJson.FormatUtc(e) : "never";
        return status.State switch
        {
            CredentialCacheState.NotFetched or CredentialCacheState.Expired => NoCredentialYet(status, expiration, timedOut, timeout),
            CredentialCacheState.Valid => $"valid, from {status.ProviderName}, expires {expiration}",
            CredentialCacheState.Stale => string.Create(
                CultureInfo.InvariantCulture,
                $"serving the current credential (expires {expiration}) after {status.ConsecutiveFailures} failed refresh attempt(s) from {status.ProviderName}: {status.LastFailure}"),
            _ => string.Create(
                CultureInfo.InvariantCulture,
                $"no valid credential after {status.ConsecutiveFailures} failed attempt(s): {status.LastFailure}{(status.FetchInProgress ? " (another attempt is under way)" : string.Empty)}"),
        };
    }

    private static string NoCredentialYet(CredentialCacheStatus status, string expiration, bool timedOut, TimeSpan timeout)
    {
        string what = status.State == CredentialCacheState.Expired ? $"the credential expired at {expiration}" : "no credential yet";
        if (!status.FetchInProgress)
        {
            return $"{what}; the next use fetches from {status.ProviderName}"; // added or replaced while the check ran
        }

        return timedOut
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: the fetch from {status.ProviderName} did not finish within {timeout.TotalSeconds:0.###} s (the health check's timeout); it goes on in the background")
            : $"{what}: the fetch from {status.ProviderName} has not produced a credential yet; it goes on in the background";
    }
}
