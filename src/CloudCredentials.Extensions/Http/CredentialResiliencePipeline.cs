using System.Globalization;
using CloudCredentials.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;
using Polly.Timeout;

namespace CloudCredentials.Http;

/// <summary>
/// The resilience pipeline of a credential HttpClient, outermost first: timeout message → total timeout → retry
/// (exponential back-off with jitter on 5xx, 408, 429, connection failures and attempt timeouts; <c>Retry-After</c>
/// honoured) → attempt timeout → attempt (re-sign, read the whole body). All time comes from the application's
/// <see cref="TimeProvider"/>; Polly's telemetry (meter <c>Polly</c>, log category <c>Polly</c>) is on.
/// </summary>
/// <remarks>
/// A request that must change between attempts (a signed STS call needs a fresh nonce and timestamp) puts an action
/// under <see cref="BeforeRetryKey"/> in its <see cref="HttpRequestMessage.Options"/>; it runs inside the pipeline
/// before every retry. A timeout surfaces as a <see cref="TimeoutException"/> naming the endpoint and the timeout hit.
/// </remarks>
internal static class CredentialResiliencePipeline
{
    /// <summary>An action run on the request before each retry (not before the first attempt).</summary>
    public static readonly HttpRequestOptionsKey<Action<HttpRequestMessage>> BeforeRetryKey = new("CloudCredentials.BeforeRetry");

    /// <summary>The logger category of the retry messages.</summary>
    public const string LoggerCategory = "CloudCredentials.Http.Resilience";

    /// <summary>Adds the strategies for <paramref name="settings"/> to <paramref name="builder"/>.</summary>
    /// <param name="builder">A pipeline builder (from the registry, or new).</param>
    /// <param name="settings">The time budget.</param>
    /// <param name="services">The application's services: the <see cref="TimeProvider"/>, logging and Polly's <see cref="TelemetryOptions"/>.</param>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, HttpClientSettings settings, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(services);
        TimeProvider time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        ILoggerFactory loggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        ILogger logger = loggerFactory.CreateLogger(LoggerCategory);

        builder.TimeProvider = time;
        TelemetryOptions telemetry = services.GetService<IOptions<TelemetryOptions>>()?.Value is { } shared ? new TelemetryOptions(shared) : new TelemetryOptions();
        telemetry.LoggerFactory = loggerFactory;
        builder.ConfigureTelemetry(telemetry);

        builder.AddStrategy(_ => new TimeoutMessageStrategy(settings), new NamedStrategyOptions("TimeoutMessage"));
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "TotalTimeout", Timeout = settings.TotalTimeout });
        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "Retry",
                ShouldRetryAfterHeader = false,
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.TotalTimeout,
                ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome, args.Context.CancellationToken, settings, time)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result is { } r ? RetryAfter(r, time) : null),
                OnRetry = args =>
                {
                    if (logger.IsEnabled(LogLevel.Debug) && args.Context.GetRequestMessage() is { } request)
                    {
                        Log.HttpRetry(
                            logger,
                            request.Method.Method,
                            SecretRedactor.DisplayUri(request.RequestUri),
                            args.RetryDelay.TotalMilliseconds,
                            args.AttemptNumber + 1,
                            settings.MaxRetryAttempts,
                            DescribeOutcome(args.Outcome));
                    }

                    return default;
                },
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = settings.AttemptTimeout });
        builder.AddStrategy(_ => new AttemptStrategy(), new NamedStrategyOptions("Attempt"));
    }

    /// <summary>
    /// Whether an outcome is retried: what <see cref="HttpClientResiliencePredicates.IsTransient(Outcome{HttpResponseMessage})"/>
    /// says (5xx, 408, 429, <see cref="HttpRequestException"/>, attempt timeout), plus a transport timeout such as the
    /// connect timeout; but not a response whose <c>Retry-After</c> asks for more than the whole budget.
    /// </summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken attemptScopeToken, HttpClientSettings settings, TimeProvider time)
    {
        if (outcome.Exception is OperationCanceledException)
        {
            // Not the caller and not the total timeout: a transport timeout such as the connect timeout.
            return !attemptScopeToken.IsCancellationRequested;
        }

        if (!HttpClientResiliencePredicates.IsTransient(outcome))
        {
            return false;
        }

        // A server asking for a pause longer than the whole budget is answered now, with its own status.
        return !(outcome.Result is { } response && RetryAfter(response, time) is { } wait && wait > settings.TotalTimeout);
    }

    /// <summary>The wait a response's <c>Retry-After</c> asks for, measured on <paramref name="time"/>; <see langword="null"/> without one.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        TimeSpan? wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - time.GetUtcNow() : null);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static string DescribeOutcome(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => "HTTP " + ((int)outcome.Result!.StatusCode).ToString(CultureInfo.InvariantCulture),
        TimeoutRejectedException => "the attempt timeout",
        Exception ex => ex.GetType().Name + ": " + ex.Message,
    };

    /// <summary>Options of the pipeline's own strategies: a name only.</summary>
    private sealed class NamedStrategyOptions : ResilienceStrategyOptions
    {
        public NamedStrategyOptions(string name) => Name = name;
    }
}
