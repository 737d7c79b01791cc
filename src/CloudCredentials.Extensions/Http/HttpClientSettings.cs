namespace CloudCredentials.Http;

/// <summary>
/// The time budget and transport settings of one credential HttpClient: the resilience pipeline
/// (total timeout → retry → attempt timeout) and the primary <see cref="SocketsHttpHandler"/>.
/// </summary>
/// <param name="AttemptTimeout">How long one attempt (connect, send, read the whole response) may take.</param>
/// <param name="MaxRetryAttempts">How many times a transient failure is retried (0 = one attempt only).</param>
/// <param name="TotalTimeout">How long the whole call, all attempts and back-off delays included, may take.</param>
/// <param name="ConnectTimeout">How long establishing a connection may take.</param>
/// <param name="RetryBaseDelay">The first back-off delay; later ones grow exponentially, with jitter.</param>
/// <param name="UseProxy">Whether the system HTTP proxy is used (never for instance metadata).</param>
internal sealed record HttpClientSettings(
    TimeSpan AttemptTimeout,
    int MaxRetryAttempts,
    TimeSpan TotalTimeout,
    TimeSpan ConnectTimeout,
    TimeSpan RetryBaseDelay,
    bool UseProxy)
{
    /// <summary>
    /// Gets a short text that identifies these settings, such as <c>a10000-t30000-c5000-r3-d200-proxy</c> (attempt,
    /// total and connect timeouts and base delay in milliseconds, retries, proxy or direct). Clients with equal
    /// settings share a name, so they share one handler pipeline and one connection pool.
    /// </summary>
    public string Key => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"a{AttemptTimeout.TotalMilliseconds:0}-t{TotalTimeout.TotalMilliseconds:0}-c{ConnectTimeout.TotalMilliseconds:0}-r{MaxRetryAttempts}-d{RetryBaseDelay.TotalMilliseconds:0.###}-{(UseProxy ? "proxy" : "direct")}");

    /// <summary>The largest response body read into memory (credential responses are a few hundred bytes).</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    /// <summary>The smallest <c>Timeout</c> / <c>ConnectTimeout</c> accepted, in milliseconds (Polly rejects timeouts under 10 ms).</summary>
    public const int MinimumMilliseconds = 10;

    /// <summary>The longest timeout the resilience pipeline accepts (Polly's limit for a timeout strategy): one day.</summary>
    public static readonly TimeSpan PipelineTimeoutLimit = TimeSpan.FromDays(1);

    /// <summary>
    /// The largest <c>Timeout</c> / <c>ConnectTimeout</c> accepted, in milliseconds: the total timeout scales with the
    /// attempt timeout (five times it for ECS metadata), and every client's total must stay within
    /// <see cref="PipelineTimeoutLimit"/>. That is 17280000 (4.8 hours).
    /// </summary>
    public static int MaximumMilliseconds
        => (int)(PipelineTimeoutLimit.TotalMilliseconds / new[] { Metadata, MetadataProbe, Remote }.Max(s => s.TotalTimeout / s.AttemptTimeout));

    /// <summary>
    /// ECS instance metadata: 1 s per attempt, 1 s to connect, 2 retries, 5 s in total, no proxy
    /// (the official libraries use connect 1000 ms and read 1000 ms on every path).
    /// </summary>
    public static HttpClientSettings Metadata { get; } = new(
        AttemptTimeout: TimeSpan.FromSeconds(1),
        MaxRetryAttempts: 2,
        TotalTimeout: TimeSpan.FromSeconds(5),
        ConnectTimeout: TimeSpan.FromSeconds(1),
        RetryBaseDelay: TimeSpan.FromMilliseconds(100),
        UseProxy: false);

    /// <summary>
    /// The default chain's probe of ECS instance metadata (one request that says whether anything answers there): one
    /// attempt of 1 s, 1 s to connect, no retries, no proxy. Off ECS the chain then fails after about a second instead
    /// of paying the retries of <see cref="Metadata"/> for the token and again for the GET.
    /// </summary>
    public static HttpClientSettings MetadataProbe { get; } = new(
        AttemptTimeout: TimeSpan.FromSeconds(1),
        MaxRetryAttempts: 0,
        TotalTimeout: TimeSpan.FromSeconds(1),
        ConnectTimeout: TimeSpan.FromSeconds(1),
        RetryBaseDelay: TimeSpan.FromMilliseconds(100),
        UseProxy: false);

    /// <summary>
    /// STS, credentials URI, CloudSSO and OAuth: 10 s per attempt, 5 s to connect, 3 retries, 30 s in total,
    /// system proxy honoured (the official libraries use connect 5000 ms and read 10000 ms).
    /// </summary>
    public static HttpClientSettings Remote { get; } = new(
        AttemptTimeout: TimeSpan.FromSeconds(10),
        MaxRetryAttempts: 3,
        TotalTimeout: TimeSpan.FromSeconds(30),
        ConnectTimeout: TimeSpan.FromSeconds(5),
        RetryBaseDelay: TimeSpan.FromMilliseconds(200),
        UseProxy: true);

    /// <summary>
    /// Applies the official <c>Timeout</c> (read, per attempt) and <c>ConnectTimeout</c> option values, in milliseconds,
    /// to <paramref name="defaults"/>; <see langword="null"/> keeps the default. The total timeout scales with the
    /// attempt timeout so that every attempt still fits (e.g. Remote with Timeout 20000 gets 60 s in total).
    /// </summary>
    /// <param name="defaults"><see cref="Metadata"/>, <see cref="MetadataProbe"/> or <see cref="Remote"/>.</param>
    /// <param name="timeoutMilliseconds">The <c>Timeout</c> option, or <see langword="null"/>.</param>
    /// <param name="connectTimeoutMilliseconds">The <c>ConnectTimeout</c> option, or <see langword="null"/>.</param>
    /// <returns>The settings to register the client with.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is below 10 ms (Polly's smallest timeout) or above <see cref="MaximumMilliseconds"/>.</exception>
    public static HttpClientSettings FromOptions(HttpClientSettings defaults, int? timeoutMilliseconds, int? connectTimeoutMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        HttpClientSettings result = defaults;
        if (timeoutMilliseconds is { } timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(timeout, MinimumMilliseconds, nameof(timeoutMilliseconds));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(timeout, MaximumMilliseconds, nameof(timeoutMilliseconds));
            TimeSpan attempt = TimeSpan.FromMilliseconds(timeout);
            double scale = attempt / defaults.AttemptTimeout;
            result = result with { AttemptTimeout = attempt, TotalTimeout = defaults.TotalTimeout * scale };
        }

        if (connectTimeoutMilliseconds is { } connect)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(connect, MinimumMilliseconds, nameof(connectTimeoutMilliseconds));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(connect, MaximumMilliseconds, nameof(connectTimeoutMilliseconds));
            result = result with { ConnectTimeout = TimeSpan.FromMilliseconds(connect) };
        }

        return result;
    }
}
