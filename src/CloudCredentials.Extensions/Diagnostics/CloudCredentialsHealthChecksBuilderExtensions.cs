using CloudCredentials.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the CloudCredentials health check to an <see cref="IHealthChecksBuilder"/>.</summary>
public static class CloudCredentialsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="CloudCredentialsHealthCheck"/> that reports on every credential registration added with
    /// <c>AddCloudCredentials</c>: healthy, degraded while a stale credential is served after failed refreshes, or
    /// <paramref name="failureStatus"/> when a registration has no valid credential. A registration with no
    /// credential to serve (nothing fetched yet, expired, or its latest attempt failed) is first asked for one, as a
    /// request would, and the outcome of that fetch is reported.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The name of the check.</param>
    /// <param name="failureStatus">The status reported when a registration has no valid credential; <see langword="null"/> means <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter the check by, such as <c>ready</c>.</param>
    /// <param name="timeout">
    /// An optional timeout for the check; it also bounds how long the check waits for a fetch it starts or joins
    /// (10 seconds when none is given). A fetch still under way then goes on in the background and is reported as no
    /// credential yet.
    /// </param>
    /// <returns>The <paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static IHealthChecksBuilder AddCloudCredentialsCheck(
        this IHealthChecksBuilder builder,
        string name = "cloud-credentials",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            static services => new CloudCredentialsHealthCheck(services.GetService<ICredentialCacheStatusSource>(), services.GetService<TimeProvider>()),
            failureStatus,
            tags,
            timeout));
    }
}
