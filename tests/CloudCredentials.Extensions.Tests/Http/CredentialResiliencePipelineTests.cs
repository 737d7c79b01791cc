using System.Net;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.Http;

public sealed class CredentialResiliencePipelineTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:1/path?token=query-secret-value");
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Generous budgets so only the behaviour under test can time out while fake time moves.
    private static readonly HttpClientSettings Settings = new(
        AttemptTimeout: TimeSpan.FromSeconds(30),
        MaxRetryAttempts: 3,
        TotalTimeout: TimeSpan.FromHours(1),
        ConnectTimeout: TimeSpan.FromSeconds(1),
        RetryBaseDelay: TimeSpan.FromMilliseconds(100),
        UseProxy: false);

    private static (HttpClient Client, ObservedTimeProvider Time) Create(StubHandler stub, HttpClientSettings? settings = null, FakeLogCollector? logs = null)
    {
        var time = new ObservedTimeProvider(Start);
        var handler = CredentialPipelines.Handler(settings ?? Settings, time, stub, logs);
        return (new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, time);
    }

    /// <summary>
    /// Awaits <paramref name="call"/> (started at <see cref="Start"/>); each time the handler waits on a back-off meanwhile,
    /// moves the clock to the end of it. The handler arms the total timeout when the call starts, then per attempt its
    /// attempt timeout and, after a transient failure, the back-off: shorter than the attempt timeout, and not the total
    /// timeout. Attempt and total timeouts are never fired here; they fire only if a back-off passes them.
    /// </summary>
    private static async Task<T> PassBackoffsAsync<T>(ObservedTimeProvider time, Task<T> call, HttpClientSettings? settings = null)
    {
        TimeSpan attemptTimeout = (settings ?? Settings).AttemptTimeout;
        DateTimeOffset totalTimeoutAt = Start + (settings ?? Settings).TotalTimeout;
        using var finished = new CancellationTokenSource();
        while (!call.IsCompleted)
        {
            Task<ObservedTimeProvider.ArmedTimer> backoff = time.WaitForTimerAsync(
                t => t.DueTime < attemptTimeout && t.DueAt != totalTimeoutAt, finished.Token);
            if (await Task.WhenAny(call, backoff) == backoff)
            {
                time.Advance((await backoff).DueAt - time.GetUtcNow());
            }
        }

        await finished.CancelAsync();
        return await call;
    }

    /// <summary>Waits until the handler has armed a timer of <paramref name="dueTime"/> (a hanging attempt's timeout), then fires it.</summary>
    private static async Task FireTimerAsync(ObservedTimeProvider time, TimeSpan dueTime)
    {
        ObservedTimeProvider.ArmedTimer timer = await time.WaitForTimerAsync(t => t.DueTime == dueTime);
        time.Advance(timer.DueAt - time.GetUtcNow());
    }

    [Fact]
    public async Task SendAsync_503ThenSuccess_RetriesAndReturnsSuccess()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.ServiceUnavailable).ThenStatus(HttpStatusCode.ServiceUnavailable).ThenStatus(HttpStatusCode.OK, "ok");
        (HttpClient client, ObservedTimeProvider time) = Create(stub);

        HttpResponseMessage response = await PassBackoffsAsync(time, client.GetAsync(Endpoint));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("ok");
        stub.Calls.Should().Be(3);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task SendAsync_TransientStatusEveryTime_RetriesMaxTimesThenReturnsLastResponse(HttpStatusCode status)
    {
        var stub = new StubHandler().ThenStatus(status);
        (HttpClient client, ObservedTimeProvider time) = Create(stub);

        HttpResponseMessage response = await PassBackoffsAsync(time, client.GetAsync(Endpoint));

        response.StatusCode.Should().Be(status);
        stub.Calls.Should().Be(1 + Settings.MaxRetryAttempts);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    public async Task SendAsync_ClientError_DoesNotRetry(HttpStatusCode status)
    {
        var stub = new StubHandler().ThenStatus(status).ThenStatus(HttpStatusCode.OK);
        (HttpClient client, _) = Create(stub);

        HttpResponseMessage response = await client.GetAsync(Endpoint);

        response.StatusCode.Should().Be(status);
        stub.Calls.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_RetryAfterDelta_WaitsExactlyThatLong()
    {
        var stub = new StubHandler()
            .Then(_ =>
            {
                HttpResponseMessage r = StubHandler.Response(HttpStatusCode.TooManyRequests);
                r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
                return r;
            })
            .ThenStatus(HttpStatusCode.OK);
        (HttpClient client, ObservedTimeProvider time) = Create(stub);
        DateTimeOffset start = time.GetUtcNow();

        Task<HttpResponseMessage> call = client.GetAsync(Endpoint);
        ObservedTimeProvider.ArmedTimer backoff = await time.WaitForTimerAsync(t => t.DueTime < Settings.AttemptTimeout);
        backoff.DueAt.Should().Be(start + TimeSpan.FromSeconds(3), "the Retry-After delay is scheduled");
        time.Advance(TimeSpan.FromSeconds(2.9)); // fires every timer due by then, synchronously
        stub.Calls.Should().Be(1, "Retry-After asked for 3 seconds");

        time.Advance(TimeSpan.FromSeconds(0.1));
        HttpResponseMessage response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        stub.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_RetryAfterDate_IsMeasuredOnTheInjectedClock()
    {
        var time = new ObservedTimeProvider(Start);
        var stub = new StubHandler()
            .Then(_ =>
            {
                HttpResponseMessage r = StubHandler.Response(HttpStatusCode.ServiceUnavailable);
                r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(time.GetUtcNow() + TimeSpan.FromSeconds(5));
                return r;
            })
            .ThenStatus(HttpStatusCode.OK);
        var handler = CredentialPipelines.Handler(Settings, time, stub);
        using var client = new HttpClient(handler);
        DateTimeOffset start = time.GetUtcNow();

        Task<HttpResponseMessage> call = client.GetAsync(Endpoint);
        ObservedTimeProvider.ArmedTimer backoff = await time.WaitForTimerAsync(t => t.DueTime < Settings.AttemptTimeout);
        backoff.DueAt.Should().Be(start + TimeSpan.FromSeconds(5), "the Retry-After date is scheduled");
        time.Advance(TimeSpan.FromSeconds(5));

        (await call.WaitAsync(TimeSpan.FromSeconds(10))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SendAsync_RetryAfterLongerThanTotalTimeout_ReturnsResponseWithoutRetrying()
    {
        var stub = new StubHandler()
            .Then(_ =>
            {
                HttpResponseMessage r = StubHandler.Response(HttpStatusCode.TooManyRequests);
                r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromMinutes(10));
                return r;
            })
            .ThenStatus(HttpStatusCode.OK);
        (HttpClient client, _) = Create(stub, Settings with { TotalTimeout = TimeSpan.FromSeconds(30) });

        HttpResponseMessage response = await client.GetAsync(Endpoint);

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        stub.Calls.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_AttemptHangs_AttemptTimeoutCancelsItAndRetrySucceeds()
    {
        var stub = new StubHandler().ThenHang().ThenStatus(HttpStatusCode.OK);
        HttpClientSettings settings = Settings with { AttemptTimeout = TimeSpan.FromSeconds(1) };
        (HttpClient client, ObservedTimeProvider time) = Create(stub, settings);

        Task<HttpResponseMessage> call = client.GetAsync(Endpoint);
        await FireTimerAsync(time, settings.AttemptTimeout);
        HttpResponseMessage response = await PassBackoffsAsync(time, call, settings);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        stub.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_EveryAttemptHangs_ThrowsTimeoutExceptionNamingAttemptTimeout()
    {
        var stub = new StubHandler().ThenHang();
        HttpClientSettings settings = Settings with { AttemptTimeout = TimeSpan.FromSeconds(1), MaxRetryAttempts = 2 };
        (HttpClient client, ObservedTimeProvider time) = Create(stub, settings);
        Task<HttpResponseMessage> call = client.GetAsync(Endpoint);

        for (int attempt = 1; attempt <= 3; attempt++)
        {
            await FireTimerAsync(time, settings.AttemptTimeout);
            if (attempt < 3)
            {
                ObservedTimeProvider.ArmedTimer backoff = await time.WaitForTimerAsync(t => t.DueTime < settings.AttemptTimeout);
                time.Advance(backoff.DueAt - time.GetUtcNow());
            }
        }

        Func<Task> act = () => call.WaitAsync(TimeSpan.FromSeconds(30));

        (await act.Should().ThrowAsync<TimeoutException>())
            .Which.Message.Should().Contain("per-attempt timeout of 1 s").And.Contain("3 attempt(s)")
            .And.Contain("http://127.0.0.1:1/path").And.NotContain("query-secret-value");
        stub.Calls.Should().Be(3);
    }

    [Fact]
    public async Task SendAsync_TotalTimeoutShorterThanAttempts_CapsTheWholeCall()
    {
        var stub = new StubHandler().ThenHang();
        HttpClientSettings settings = Settings with { AttemptTimeout = TimeSpan.FromSeconds(10), TotalTimeout = TimeSpan.FromSeconds(3) };
        (HttpClient client, ObservedTimeProvider time) = Create(stub, settings);
        DateTimeOffset start = time.GetUtcNow();
        Task<HttpResponseMessage> call = client.GetAsync(Endpoint);
        await stub.WaitForCallsAsync(1); // the attempt hangs, under its attempt timeout (10 s) and the total timeout (3 s)

        await FireTimerAsync(time, settings.TotalTimeout);
        Func<Task> act = () => call.WaitAsync(TimeSpan.FromSeconds(30));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("total timeout of 3 s");
        stub.Calls.Should().Be(1);
        (time.GetUtcNow() - start).Should().BeLessThan(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task SendAsync_TotalTimeoutDuringBackoff_StopsRetrying()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.ServiceUnavailable);
        HttpClientSettings settings = Settings with { MaxRetryAttempts = 10, RetryBaseDelay = TimeSpan.FromSeconds(1), TotalTimeout = TimeSpan.FromSeconds(5) };
        (HttpClient client, ObservedTimeProvider time) = Create(stub, settings);

        Func<Task> act = () => PassBackoffsAsync(time, client.GetAsync(Endpoint), settings);

        await act.Should().ThrowAsync<TimeoutException>();
        stub.Calls.Should().BeLessThan(11);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefusedThenSuccess_Retries()
    {
        var stub = new StubHandler()
            .ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)"))
            .ThenStatus(HttpStatusCode.OK);
        (HttpClient client, ObservedTimeProvider time) = Create(stub);

        HttpResponseMessage response = await PassBackoffsAsync(time, client.GetAsync(Endpoint));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        stub.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefusedEveryTime_ThrowsHttpRequestExceptionAfterRetries()
    {
        var stub = new StubHandler().ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)"));
        (HttpClient client, ObservedTimeProvider time) = Create(stub);

        Func<Task> act = () => PassBackoffsAsync(time, client.GetAsync(Endpoint));

        await act.Should().ThrowAsync<HttpRequestException>().WithMessage("Connection refused*");
        stub.Calls.Should().Be(1 + Settings.MaxRetryAttempts);
    }

    [Fact]
    public async Task SendAsync_NonTransientException_IsNotRetried()
    {
        var stub = new StubHandler().ThenThrow(new InvalidOperationException("bug"));
        (HttpClient client, _) = Create(stub);

        await ((Func<Task>)(() => client.GetAsync(Endpoint))).Should().ThrowAsync<InvalidOperationException>();
        stub.Calls.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceledWithoutRetry()
    {
        var stub = new StubHandler().ThenHang();
        (HttpClient client, _) = Create(stub);
        using var cts = new CancellationTokenSource();

        Task<HttpResponseMessage> call = client.GetAsync(Endpoint, cts.Token);
        await stub.WaitForCallsAsync(1); // the first attempt started
        await cts.CancelAsync();

        await ((Func<Task>)(() => call)).Should().ThrowAsync<OperationCanceledException>();
        stub.Calls.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_BodyStallsAfterHeaders_AttemptTimeoutCoversTheBody()
    {
        var stub = new StubHandler()
            .Then(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StallingContent() })
            .ThenStatus(HttpStatusCode.OK, "complete");
        HttpClientSettings settings = Settings with { AttemptTimeout = TimeSpan.FromSeconds(1) };
        (HttpClient client, ObservedTimeProvider time) = Create(stub, settings);

        Task<HttpResponseMessage> call = client.GetAsync(Endpoint);
        await FireTimerAsync(time, settings.AttemptTimeout);
        HttpResponseMessage response = await PassBackoffsAsync(time, call, settings);

        (await response.Content.ReadAsStringAsync()).Should().Be("complete");
        stub.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_BeforeRetryOption_RunsBeforeEachRetryOnly()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.InternalServerError).ThenStatus(HttpStatusCode.InternalServerError).ThenStatus(HttpStatusCode.OK);
        (HttpClient client, ObservedTimeProvider time) = Create(stub);
        int calls = 0;
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent("body") };
        request.Options.Set(CredentialResiliencePipeline.BeforeRetryKey, r => r.RequestUri = new Uri($"http://127.0.0.1:1/retry{++calls}"));

        HttpResponseMessage response = await PassBackoffsAsync(time, client.SendAsync(request));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        calls.Should().Be(2);
        stub.Requests.Select(r => r.Uri.AbsolutePath).Should().Equal("/path", "/retry1", "/retry2");
        stub.Requests.Select(r => r.Body).Should().AllBe("body", "the content is sent again on every attempt");
    }

    [Fact]
    public async Task SendAsync_Retry_LogsRedactedEndpointAtDebug()
    {
        var logs = new FakeLogCollector();
        var stub = new StubHandler().ThenStatus(HttpStatusCode.ServiceUnavailable).ThenStatus(HttpStatusCode.OK);
        (HttpClient client, ObservedTimeProvider time) = Create(stub, logs: logs);

        await PassBackoffsAsync(time, client.GetAsync(Endpoint));

        logs.AllText().Should().Contain("Retrying GET http://127.0.0.1:1/path").And.Contain("HTTP 503").And.NotContain("query-secret-value");
    }

    [Fact]
    public async Task SendAsync_ZeroRetries_MakesOneAttempt()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.ServiceUnavailable);
        (HttpClient client, _) = Create(stub, Settings with { MaxRetryAttempts = 0 });

        (await client.GetAsync(Endpoint)).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        stub.Calls.Should().Be(1);
    }

    private sealed class StallingContent : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync("{\"partial\":"u8.ToArray(), cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
