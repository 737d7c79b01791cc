using System.Globalization;
using System.Net;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CloudCredentials.Http;

/// <summary>
/// Runs every request of a credential HttpClient through a Polly pipeline, outermost first:
/// total timeout → retry (exponential back-off with jitter on 5xx, 408, 429, connection failures and attempt
/// timeouts; <c>Retry-After</c> honoured) → attempt timeout. Each attempt reads the whole response body, so the
/// attempt timeout covers slow bodies too. All time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// A request that must change between attempts (a signed STS call needs a fresh nonce and timestamp) puts an
/// action under <see cref="BeforeRetryKey"/> in its <see cref="HttpRequestMessage.Options"/>; it runs before
/// every retry. A timeout surfaces as a <see cref="TimeoutException"/> naming the endpoint and the timeout hit.
/// </remarks>
internal sealed class ResilienceHandler : DelegatingHandler
{
    /// <summary>An action run on the request before each retry (not before the first attempt).</summary>
    public static readonly HttpRequestOptionsKey<Action<HttpRequestMessage>> BeforeRetryKey = new("CloudCredentials.BeforeRetry");

    private static readonly ResiliencePropertyKey<AttemptState> StateKey = new("CloudCredentials.AttemptState");

    private readonly HttpClientSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Creates the handler and its pipeline.</summary>
    /// <param name="settings">The time budget.</param>
    /// <param name="timeProvider">The clock for timeouts and back-off delays.</param>
    /// <param name="logger">Logs retries; <see langword="null"/> for none.</param>
    public ResilienceHandler(HttpClientSettings settings, TimeProvider timeProvider, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _settings = settings;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _pipeline = BuildPipeline();
    }

    /// <summary>Gets the settings the pipeline was built from.</summary>
    public HttpClientSettings Settings => _settings;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        var state = new AttemptState(this, request);
        context.Properties.Set(StateKey, state);
        try
        {
            Outcome<HttpResponseMessage> outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, s) =>
                {
                    try
                    {
                        return Outcome.FromResult(await s.Handler.SendAttemptAsync(s, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                state).ConfigureAwait(false);

            if (outcome.Exception is TimeoutRejectedException timeout && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(DescribeTimeout(request, timeout, state.Attempts), timeout);
            }

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<HttpResponseMessage> SendAttemptAsync(AttemptState state, CancellationToken cancellationToken)
    {
        if (state.Attempts > 0 && state.Request.Options.TryGetValue(BeforeRetryKey, out Action<HttpRequestMessage>? beforeRetry))
        {
            beforeRetry(state.Request);
        }

        state.Attempts++;
        HttpResponseMessage response = await base.SendAsync(state.Request, cancellationToken).ConfigureAwait(false);
        try
        {
            // Read the whole (small) body inside the attempt, so a server that stalls mid-body hits the attempt timeout.
            await response.Content.LoadIntoBufferAsync(HttpClientSettings.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var retry = new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = _settings.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _settings.RetryBaseDelay,
            MaxDelay = _settings.TotalTimeout,
            ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome, args.Context.CancellationToken)),
            DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result is { } r ? RetryAfter(r) : null),
            OnRetry = args =>
            {
                if (_logger.IsEnabled(LogLevel.Debug) && args.Context.Properties.TryGetValue(StateKey, out AttemptState? s))
                {
                    Log.HttpRetry(
                        _logger,
                        s.Request.Method.Method,
                        SecretRedactor.DisplayUri(s.Request.RequestUri),
                        args.RetryDelay.TotalMilliseconds,
                        args.AttemptNumber + 1,
                        _settings.MaxRetryAttempts,
                        DescribeOutcome(args.Outcome));
                }

                return default;
            },
        };

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _timeProvider };
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = _settings.TotalTimeout });
        if (_settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(retry);
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = _settings.AttemptTimeout });
        return builder.Build();
    }

    private bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken attemptScopeToken)
    {
        switch (outcome.Exception)
        {
            case null:
                break;
            case HttpRequestException:
            case TimeoutRejectedException:
                return true;
            case OperationCanceledException:
                // Not the caller and not the total timeout: a transport timeout such as the connect timeout.
                return !attemptScopeToken.IsCancellationRequested;
            default:
                return false;
        }

        HttpResponseMessage? response = outcome.Result;
        if (response is null)
        {
            return false;
        }

        int status = (int)response.StatusCode;
        bool transient = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

        // A server asking for a pause longer than the whole budget is answered now, with its own status.
        return transient && !(RetryAfter(response) is { } wait && wait > _settings.TotalTimeout);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter.Date is { } date)
        {
            TimeSpan wait = date - _timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string DescribeOutcome(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => "HTTP " + ((int)outcome.Result!.StatusCode).ToString(CultureInfo.InvariantCulture),
        TimeoutRejectedException => "the attempt timeout",
        Exception ex => ex.GetType().Name + ": " + ex.Message,
    };

    private string DescribeTimeout(HttpRequestMessage request, TimeoutRejectedException timeout, int attempts)
    {
        string which = timeout.Timeout == _settings.TotalTimeout && _settings.TotalTimeout != _settings.AttemptTimeout
            ? "the total timeout"
            : "the per-attempt timeout";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{request.Method} {SecretRedactor.DisplayUri(request.RequestUri)} did not answer within {which} of {timeout.Timeout.TotalSeconds:0.###} s ({attempts} attempt(s); attempt timeout {_settings.AttemptTimeout.TotalSeconds:0.###} s, total timeout {_settings.TotalTimeout.TotalSeconds:0.###} s)");
    }

    private sealed class AttemptState(ResilienceHandler handler, HttpRequestMessage request)
    {
        public ResilienceHandler Handler { get; } = handler;

        public HttpRequestMessage Request { get; } = request;

        public int Attempts { get; set; }
    }
}
