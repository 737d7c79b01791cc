using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CloudCredentials.Diagnostics;

/// <summary>
/// The package's instruments on the <c>CloudCredentials</c> meter: refresh count, refresh failures, refresh
/// duration and, for every tracked cache, the seconds until its credential expires. Tags carry the registration
/// and provider names only, never a secret.
/// </summary>
internal sealed class CloudCredentialsMetrics : IDisposable
{
    /// <summary>The meter name: <c>CloudCredentials</c>.</summary>
    public const string MeterName = CloudCredentialsTelemetry.Name;

    /// <summary>Counter of every provider fetch the caches make (successful or not).</summary>
    public const string RefreshCountName = "cloudcredentials.refresh.count";

    /// <summary>Counter of the provider fetches that failed.</summary>
    public const string RefreshFailuresName = "cloudcredentials.refresh.failures";

    /// <summary>Histogram of the duration of provider fetches, in seconds.</summary>
    public const string RefreshDurationName = "cloudcredentials.refresh.duration";

    /// <summary>Observable gauge of the seconds until each cached credential expires.</summary>
    public const string TimeToExpiryName = "cloudcredentials.credential.time_to_expiry";

    private readonly bool _ownsMeter;
    private readonly Counter<long> _refreshCount;
    private readonly Counter<long> _refreshFailures;
    private readonly Histogram<double> _refreshDuration;
    private readonly object _gate = new();
    private ICredentialCacheStatusReporter[] _tracked = [];

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on an owned meter without one.</summary>
    /// <param name="meterFactory">The DI meter factory; <see langword="null"/> creates (and later disposes) a meter directly.</param>
    public CloudCredentialsMetrics(IMeterFactory? meterFactory = null)
    {
        if (meterFactory is null)
        {
            Meter = new Meter(MeterName);
            _ownsMeter = true;
        }
        else
        {
            Meter = meterFactory.Create(MeterName);
        }

        _refreshCount = Meter.CreateCounter<long>(
            RefreshCountName, unit: "{refresh}", description: "Credential fetches made by the credential caches, successful or not.");
        _refreshFailures = Meter.CreateCounter<long>(
            RefreshFailuresName, unit: "{failure}", description: "Credential fetches that failed.");
        _refreshDuration = Meter.CreateHistogram<double>(
            RefreshDurationName, unit: "s", description: "Duration of credential fetches.");
        Meter.CreateObservableGauge(
            TimeToExpiryName, ObserveTimeToExpiry, unit: "s", description: "Seconds until the cached credential of each registration expires.");
    }

    /// <summary>Gets the meter the instruments live on.</summary>
    internal Meter Meter { get; }

    /// <summary>Records one completed fetch.</summary>
    /// <param name="registrationName">The registration the cache serves.</param>
    /// <param name="providerName">The provider that was called.</param>
    /// <param name="duration">How long the fetch took.</param>
    /// <param name="error">The failure, or <see langword="null"/> on success.</param>
    public void RecordRefresh(string registrationName, string providerName, TimeSpan duration, Exception? error)
    {
        var tags = new TagList
        {
            { CloudCredentialsTelemetry.RegistrationTag, registrationName },
            { CloudCredentialsTelemetry.ProviderTag, providerName },
        };
        _refreshCount.Add(1, tags);
        _refreshDuration.Record(duration.TotalSeconds, tags);
        if (error is not null)
        {
            tags.Add(CloudCredentialsTelemetry.ErrorTypeTag, error.GetType().Name);
            _refreshFailures.Add(1, tags);
        }
    }

    /// <summary>Adds a cache to the seconds-to-expiry gauge.</summary>
    /// <param name="reporter">The cache.</param>
    public void Track(ICredentialCacheStatusReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        lock (_gate)
        {
            if (!_tracked.Contains(reporter))
            {
                _tracked = [.. _tracked, reporter];
            }
        }
    }

    /// <summary>Removes a cache from the seconds-to-expiry gauge.</summary>
    /// <param name="reporter">The cache.</param>
    public void Untrack(ICredentialCacheStatusReporter reporter)
    {
        lock (_gate)
        {
            _tracked = [.. _tracked.Where(r => !ReferenceEquals(r, reporter))];
        }
    }

    /// <summary>Disposes the meter when this instance created it (a factory's meter is disposed by the factory).</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private IEnumerable<Measurement<double>> ObserveTimeToExpiry()
    {
        ICredentialCacheStatusReporter[] tracked = Volatile.Read(ref _tracked);
        var measurements = new List<Measurement<double>>(tracked.Length);
        foreach (ICredentialCacheStatusReporter reporter in tracked)
        {
            CredentialCacheStatus status = reporter.GetStatus();
            if (status.TimeToExpiry is { } left)
            {
                measurements.Add(new Measurement<double>(
                    left.TotalSeconds,
                    new KeyValuePair<string, object?>(CloudCredentialsTelemetry.RegistrationTag, status.RegistrationName),
                    new KeyValuePair<string, object?>(CloudCredentialsTelemetry.ProviderTag, status.ProviderName)));
            }
        }

        return measurements;
    }
}
