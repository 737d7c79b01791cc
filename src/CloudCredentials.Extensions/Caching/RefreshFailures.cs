using System.Globalization;
using CloudCredentials.Internal;

namespace CloudCredentials.Caching;

/// <summary>
/// The failure bookkeeping of one <see cref="CredentialCache"/>: consecutive failures, the last failure, the jittered
/// backoff before the next attempt, and the text of the exceptions callers get when a fetch fails.
/// </summary>
/// <remarks>
/// The owning cache calls the mutating members under its lock; <see cref="IsBackingOff"/> reads the retry time with a
/// volatile read and may be called without it.
/// </remarks>
internal sealed class RefreshFailures
{
    /// <summary>
    /// With nothing valid cached, the longest callers are held back after an upstream error before one single-flight
    /// probe goes through, whatever the backoff has grown to: recovery is seen within seconds, while a background
    /// refresh that still has a valid credential keeps the full backoff (up to RetryMaxDelay).
    /// </summary>
    public static readonly TimeSpan RequestProbeInterval = TimeSpan.FromSeconds(5);

    private long _nextAttemptTicks; // UTC ticks before which no background retry starts; 0 = none. Volatile reads.
    private long _lastFailureTicks; // UTC ticks of the last failure; guarded by the owner's lock.
    private bool _holdsBackCallers; // the last failure was an upstream answer; guarded by the owner's lock.

    /// <summary>Gets the consecutive failures since the last success or provider replacement.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Gets the last failure, or <see langword="null"/> after a success or provider replacement.</summary>
    public Exception? LastFailure { get; private set; }

    /// <summary>Gets or sets the source of backoff jitter, a number in [0, 1] (tests pin it).</summary>
    public Func<double> Jitter { get; set; } = Random.Shared.NextDouble;

    /// <summary>Forgets the failures (a success or a provider replacement): no backoff.</summary>
    public void Reset()
    {
        ConsecutiveFailures = 0;
        LastFailure = null;
        _holdsBackCallers = false;
        Volatile.Write(ref _nextAttemptTicks, 0);
    }

    /// <summary>Counts a failure and starts the backoff.</summary>
    /// <param name="error">The failure.</param>
    /// <param name="now">The current time.</param>
    /// <param name="options">The refresh settings with the retry delays.</param>
    /// <param name="answeredExpired">
    /// The provider answered, but with a credential already expired (<see cref="RejectIfExpired"/>): an upstream answer
    /// like an HTTP error, so callers are held back during the backoff instead of each asking again.
    /// </param>
    /// <returns>When the next attempt may start.</returns>
    public DateTimeOffset Record(Exception error, DateTimeOffset now, CredentialRefreshOptions options, bool answeredExpired = false)
    {
        int failures = ++ConsecutiveFailures;
        LastFailure = error;
        _lastFailureTicks = now.UtcTicks;
        _holdsBackCallers = answeredExpired || error is CredentialUnavailableException { StatusCode: not null };
        DateTimeOffset nextAttempt = now + RefreshSchedule.GetRetryDelay(failures, options.RetryBaseDelay, options.RetryMaxDelay, Jitter());
        Volatile.Write(ref _nextAttemptTicks, nextAttempt.UtcTicks);
        return nextAttempt;
    }

    /// <summary>Moves the next attempt to <paramref name="nextAttempt"/> (a static-stability extension); callers are not held back, they are served.</summary>
    /// <param name="nextAttempt">When the next attempt may start.</param>
    public void Postpone(DateTimeOffset nextAttempt)
    {
        _holdsBackCallers = false;
        Volatile.Write(ref _nextAttemptTicks, nextAttempt.UtcTicks);
    }

    /// <summary>Gets whether a background retry must wait: the backoff after the last failure has not ended.</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> before the next attempt time.</returns>
    public bool IsBackingOff(DateTimeOffset now)
    {
        long notBefore = Volatile.Read(ref _nextAttemptTicks);
        return notBefore != 0 && now.UtcTicks < notBefore;
    }

    /// <summary>
    /// With nothing usable, callers normally each start (or join) a fetch. But when the last fetch failed because the
    /// upstream service answered with an HTTP error (403 NoPermission, 429 throttling, 5xx) or with a credential that is
    /// already expired, a request path must not turn every incoming request into another upstream call: until the
    /// backoff ends, but never longer than <see cref="RequestProbeInterval"/> after the last attempt (then one caller's
    /// fetch probes, the others join it), callers get that failure at once. Failures without an upstream answer (nothing
    /// configured, a chain with no source, an unreachable endpoint) are not held back, so a credential configured
    /// meanwhile (say an exported environment variable) is found on the next call.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="provider">The current provider, named when the last failure names none.</param>
    /// <returns>The failure to throw at once, or <see langword="null"/> to fetch.</returns>
    public CredentialUnavailableException? BackingOffAfterUpstreamError(DateTimeOffset now, ICredentialProvider provider)
    {
        long notBefore = Volatile.Read(ref _nextAttemptTicks);
        if (notBefore != 0)
        {
            notBefore = Math.Min(notBefore, _lastFailureTicks + RequestProbeInterval.Ticks);
        }

        if (notBefore == 0 || now.UtcTicks >= notBefore || !_holdsBackCallers || LastFailure is not CredentialUnavailableException last)
        {
            return null;
        }

        string until = CredentialJson.FormatUtc(new DateTimeOffset(notBefore, TimeSpan.Zero));
        return new CredentialUnavailableException(
            last.ProviderName ?? provider.ProviderName,
            $"{last.Reason ?? last.Message} (not retried before {until}: backing off after {ConsecutiveFailures} failed attempt(s))",
            last)
        {
            Endpoint = last.Endpoint,
            StatusCode = last.StatusCode,
            ErrorCode = last.ErrorCode,
            RequestId = last.RequestId,
        };
    }

    /// <summary>Turns what a fetch threw into the exception its callers get.</summary>
    /// <param name="operation">The fetch.</param>
    /// <param name="exception">What it threw.</param>
    /// <param name="cacheDisposed">Whether the cache has been disposed.</param>
    /// <returns>
    /// An <see cref="ObjectDisposedException"/> for a fetch cancelled by disposal, a timeout message naming the setting,
    /// a <see cref="CredentialUnavailableException"/> unchanged, anything else wrapped.
    /// </returns>
    public static Exception Classify(RefreshOperation operation, Exception exception, bool cacheDisposed)
    {
        string providerName = operation.Provider.ProviderName;
        if (exception is OperationCanceledException && cacheDisposed)
        {
            return new ObjectDisposedException(nameof(CredentialCache), "The credential cache was disposed while fetching a credential.");
        }

        if (exception is OperationCanceledException && operation.TimedOut)
        {
            return new CredentialUnavailableException(
                providerName,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"did not produce a credential within {operation.FetchTimeout.TotalSeconds:0.###} s (CloudCredentials:Refresh:FetchTimeout). The endpoint or process it uses may be unreachable or hanging; check that it answers from this machine, or raise the timeout."),
                exception);
        }

        if (exception is CredentialUnavailableException)
        {
            return exception; // unchanged: its message names provider, endpoint, status and upstream code
        }

        return new CredentialUnavailableException(
            providerName, $"failed unexpectedly with {exception.GetType().Name} (details in the inner exception)", exception);
    }

    /// <summary>The failure of a provider that returned <see langword="null"/> instead of a credential.</summary>
    /// <param name="providerName">The provider.</param>
    /// <returns>The exception.</returns>
    public static CredentialUnavailableException NoCredential(string providerName) =>
        new(providerName, "returned no credential. This is a bug in the provider.", null);

    /// <summary>The failure given to waiters when applying a fetch's outcome threw.</summary>
    /// <param name="providerName">The provider.</param>
    /// <param name="exception">What applying the outcome threw.</param>
    /// <returns>The exception.</returns>
    public static CredentialUnavailableException CompletionFailed(string providerName, Exception exception) =>
        new(providerName, $"failed unexpectedly with {exception.GetType().Name}", exception);

    /// <summary>Rejects a credential that is already expired (within the clock skew) when it arrives.</summary>
    /// <param name="credential">The credential.</param>
    /// <param name="now">The current time.</param>
    /// <param name="clockSkew">The clock-skew allowance.</param>
    /// <returns>The failure, or <see langword="null"/> when the credential may be served.</returns>
    public static CredentialUnavailableException? RejectIfExpired(CloudCredential credential, DateTimeOffset now, TimeSpan clockSkew)
    {
        if (credential.Expiration is not { } expiration || expiration > now + clockSkew)
        {
            return null;
        }

        return new CredentialUnavailableException(
            credential.ProviderName,
            string.Create(
                CultureInfo.InvariantCulture,
                $"returned a credential that is already expired: its Expiration is {RefreshTelemetry.FormatExpiration(expiration)} and this machine's clock says {RefreshTelemetry.FormatExpiration(now)} (a credential must have more than the {clockSkew.TotalSeconds:0.###} s clock-skew allowance left). One of the two clocks is wrong: check this machine's clock (NTP) and the credential source's clock, or that the source issues fresh credentials. Retried with backoff."),
            null);
    }
}
