using System.Globalization;
using CloudCredentials.Internal;
using Polly;
using Polly.Timeout;

namespace CloudCredentials.Http;

/// <summary>How many attempts one execution of a credential pipeline has started (a context property).</summary>
internal sealed class AttemptCounter
{
    /// <summary>The property under which the counter travels in the <see cref="ResilienceContext"/>.</summary>
    public static readonly ResiliencePropertyKey<AttemptCounter> Key = new("CloudCredentials.Attempts");

    /// <summary>Gets or sets the number of attempts started.</summary>
    public int Attempts { get; set; }

    /// <summary>Gets the counter of <paramref name="context"/>, adding one if it has none.</summary>
    public static AttemptCounter Of(ResilienceContext context)
    {
        if (!context.Properties.TryGetValue(Key, out AttemptCounter? counter))
        {
            counter = new AttemptCounter();
            context.Properties.Set(Key, counter);
        }

        return counter;
    }
}

/// <summary>
/// The innermost strategy (inside the attempt timeout): before a retry it runs the request's
/// <see cref="CredentialResiliencePipeline.BeforeRetryKey"/> action (re-signing), and after the response headers it
/// reads the whole (small) body, so a server that stalls mid-body hits the attempt timeout and is retried.
/// </summary>
/// <remarks>
/// Neither is something the package's strategies do: its handler sends the same request on every attempt and returns
/// as soon as headers arrive. Both must happen per attempt, so they are a strategy of the pipeline, not a handler.
/// </remarks>
internal sealed class AttemptStrategy : ResilienceStrategy<HttpResponseMessage>
{
    /// <inheritdoc />
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        AttemptCounter counter = AttemptCounter.Of(context);
        HttpRequestMessage? request = context.GetRequestMessage();
        if (counter.Attempts++ > 0 && request is not null && request.Options.TryGetValue(CredentialResiliencePipeline.BeforeRetryKey, out Action<HttpRequestMessage>? beforeRetry))
        {
            beforeRetry(request);
        }

        Outcome<HttpResponseMessage> outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        if (outcome.Result is not { } response)
        {
            return outcome;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(HttpClientSettings.MaxResponseBytes, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
            return outcome;
        }
        catch (Exception ex)
        {
            response.Dispose();
            return Outcome.FromException<HttpResponseMessage>(ex);
        }
    }
}

/// <summary>
/// The outermost strategy: turns Polly's <see cref="TimeoutRejectedException"/> into a <see cref="TimeoutException"/>
/// that names the redacted endpoint, which timeout was hit, and how many attempts were made (the package's handler
/// rethrows Polly's exception, whose message names neither).
/// </summary>
internal sealed class TimeoutMessageStrategy(HttpClientSettings settings) : ResilienceStrategy<HttpResponseMessage>
{
    /// <inheritdoc />
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        var counter = new AttemptCounter();
        context.Properties.Set(AttemptCounter.Key, counter);
        Outcome<HttpResponseMessage> outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        if (outcome.Exception is TimeoutRejectedException timeout && !context.CancellationToken.IsCancellationRequested)
        {
            return Outcome.FromException<HttpResponseMessage>(new TimeoutException(Describe(context.GetRequestMessage(), timeout, counter.Attempts), timeout));
        }

        return outcome;
    }

    private string Describe(HttpRequestMessage? request, TimeoutRejectedException timeout, int attempts)
    {
        string which = timeout.Timeout == settings.TotalTimeout && settings.TotalTimeout != settings.AttemptTimeout
            ? "the total timeout"
            : "the per-attempt timeout";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{request?.Method} {SecretRedactor.DisplayUri(request?.RequestUri)} did not answer within {which} of {timeout.Timeout.TotalSeconds:0.###} s ({attempts} attempt(s); attempt timeout {settings.AttemptTimeout.TotalSeconds:0.###} s, total timeout {settings.TotalTimeout.TotalSeconds:0.###} s)");
    }
}
