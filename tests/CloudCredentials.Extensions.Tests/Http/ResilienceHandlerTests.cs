using System.Net;
using CloudCredentials.Http;
using CloudCredentials.Tests.Http.Support;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Http;

public sealed class ResilienceHandlerTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:1/path?token=query-secret-value");

    // Generous budgets so only the behaviour under test can time out while fake time is stepped.
    private static readonly HttpClientSettings Settings = new(
        AttemptTimeout: TimeSpan.FromSeconds(30),
        MaxRetryAttempts: 3,
        TotalTimeout: TimeSpan.FromHours(1),
        ConnectTimeout: TimeSpan.FromSeconds(1),
        RetryBaseDelay: TimeSpan.FromMilliseconds(100),
        UseProxy: false);

    private static (HttpClient Client, FakeTimeProvider Time) Create(StubHandler stub, HttpClientSettings? settings = null, TestLogger? logger = null)
    {
        var time = new FakeTimeProvider();
        var handler = new ResilienceHandler(settings ?? Settings, time, logger) { InnerHandler = stub };
        return (new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, time);
    }

    [Fact]
    public async Task SendAsync_503ThenSuccess_RetriesAndReturnsSuccess()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.ServiceUnavailable).ThenStatus(HttpStatusCode.ServiceUnavailable).ThenStatus(HttpStatusCode.OK, "ok");
        (HttpClient client, FakeTimeProvider time) = Create(stub);

        HttpResponseMessage response = await FakeClock.RunAsync(time, client.GetAsync(Endpoint), TimeSpan.FromMilliseconds(50));

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
        (HttpClient client, FakeTimeProvider time) = Create(stub);

        HttpResponseMessage response = await FakeClock.RunAsync(time, client.GetAsync(Endpoint), TimeSpan.FromMilliseconds(50));

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
        (HttpClient client, FakeTimeProvider time) = Create(stub);
        DateTimeOffset start = time.GetUtcNow();

        Task<HttpResponseMessage> call = client.GetAsync(Endpoint);
        await FakeClock.WaitUntilAsync(() => time.NextTimerDue == start + TimeSpan.FromSeconds(3), "the Retry-After delay is scheduled");
        time.Advance(TimeSpan.FromSeconds(2.9));
        await Task.Delay(20);
        stub.Calls.Should().Be(1, "Retry-After asked for 3 seconds");

        time.Advance(TimeSpan.FromSeconds(0.1));
        HttpResponseMessage response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        stub.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_RetryAfterDate_IsMeasuredOnTheInjectedClock()
    {
        var time = new FakeTimeProvider();
        var stub = new StubHandler()
            .Then(_ =>
            {
                HttpResponseMessage r = StubHandler.Response(HttpStatusCode.ServiceUnavailable);
                r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(time.GetUtcNow() + TimeSpan.FromSeconds(5));
                return r;
            })
            .ThenStatus(HttpStatusCode.OK);
        var handler = new ResilienceHandler(Settings, time) { InnerHandler = stub };
        using var client = new HttpClient(handler);
        DateTimeOffset start = time.GetUtcNow();

        Task<HttpResponseMessage> call = client.GetAsync(Endpoint);
        await FakeClock.WaitUntilAsync(() => time.NextTimerDue == start + TimeSpan.FromSeconds(5), "the Retry-After date is scheduled");
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
        (HttpClient client, FakeTimeProvider time) = Create(stub, Settings with { AttemptTimeout = TimeSpan.FromSeconds(1) });

        HttpResponseMessage response = await FakeClock.RunAsync(time, client.GetAsync(Endpoint), TimeSpan.FromMilliseconds(100));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        stub.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_EveryAttemptHangs_ThrowsTimeoutExceptionNamingAttemptTimeout()
    {
        var stub = new StubHandler().ThenHang();
        (HttpClient client, FakeTimeProvider time) = Create(stub, Settings with { AttemptTimeout = TimeSpan.FromSeconds(1), MaxRetryAttempts = 2 });

        Func<Task> act = () => FakeClock.RunAsync(time, client.GetAsync(Endpoint), TimeSpan.FromMilliseconds(100));

        (await act.Should().ThrowAsync<TimeoutException>())
            .Which.Message.Should().Contain("per-attempt timeout of 1 s").And.Contain("3 attempt(s)")
            .And.Contain("http://127.0.0.1:1/path").And.NotContain("query-secret-value");
        stub.Calls.Should().Be(3);
    }

    [Fact]
    public async Task SendAsync_TotalTimeoutShorterThanAttempts_CapsTheWholeCall()
    {
        var stub = new StubHandler().ThenHang();
        (HttpClient client, FakeTimeProvider time) = Create(stub, Settings with { AttemptTimeout = TimeSpan.FromSeconds(10), TotalTimeout = TimeSpan.FromSeconds(3) });
        DateTimeOffset start = time.GetUtcNow();

        Func<Task> act = () => FakeClock.RunAsync(time, client.GetAsync(Endpoint), TimeSpan.FromMilliseconds(100));

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain("total timeout of 3 s");
        stub.Calls.Should().Be(1);
        (time.GetUtcNow() - start).Should().BeLessThan(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task SendAsync_TotalTimeoutDuringBackoff_StopsRetrying()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.ServiceUnavailable);
        (HttpClient client, FakeTimeProvider time) = Create(
            stub,
            Settings with { MaxRetryAttempts = 10, RetryBaseDelay = TimeSpan.FromSeconds(1), TotalTimeout = TimeSpan.FromSeconds(5) });

        Func<Task> act = () => FakeClock.RunAsync(time, client.GetAsync(Endpoint), TimeSpan.FromMilliseconds(100));

        await act.Should().ThrowAsync<TimeoutException>();
        stub.Calls.Should().BeLessThan(11);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefusedThenSuccess_Retries()
    {
        var stub = new StubHandler()
            .ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)"))
            .ThenStatus(HttpStatusCode.OK);
        (HttpClient client, FakeTimeProvider time) = Create(stub);

        HttpResponseMessage response = await FakeClock.RunAsync(time, client.GetAsync(Endpoint), TimeSpan.FromMilliseconds(50));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        stub.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefusedEveryTime_ThrowsHttpRequestExceptionAfterRetries()
    {
        var stub = new StubHandler().ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)"));
        (HttpClient client, FakeTimeProvider time) = Create(stub);

        Func<Task> act = () => FakeClock.RunAsync(time, client.GetAsync(Endpoint), TimeSpan.FromMilliseconds(50));

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
        await FakeClock.WaitUntilAsync(() => stub.Calls == 1, "the first attempt started");
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
        (HttpClient client, FakeTimeProvider time) = Create(stub, Settings with { AttemptTimeout = TimeSpan.FromSeconds(1) });

        HttpResponseMessage response = await FakeClock.RunAsync(time, client.GetAsync(Endpoint), TimeSpan.FromMilliseconds(100));

        (await response.Content.ReadAsStringAsync()).Should().Be("complete");
        stub.Calls.Should().Be(2);
    }

    [Fact]
    public async Task SendAsync_BeforeRetryOption_RunsBeforeEachRetryOnly()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.InternalServerError).ThenStatus(HttpStatusCode.InternalServerError).ThenStatus(HttpStatusCode.OK);
        (HttpClient client, FakeTimeProvider time) = Create(stub);
        int calls = 0;
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent("body") };
        request.Options.Set(ResilienceHandler.BeforeRetryKey, r => r.RequestUri = new Uri($"http://127.0.0.1:1/retry{++calls}"));

        HttpResponseMessage response = await FakeClock.RunAsync(time, client.SendAsync(request), TimeSpan.FromMilliseconds(50));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        calls.Should().Be(2);
        stub.Requests.Select(r => r.Uri.AbsolutePath).Should().Equal("/path", "/retry1", "/retry2");
        stub.Requests.Select(r => r.Body).Should().AllBe("body", "the content is sent again on every attempt");
    }

    [Fact]
    public async Task SendAsync_Retry_LogsRedactedEndpointAtDebug()
    {
        var logger = new TestLogger();
        var stub = new StubHandler().ThenStatus(HttpStatusCode.ServiceUnavailable).ThenStatus(HttpStatusCode.OK);
        (HttpClient client, FakeTimeProvider time) = Create(stub, logger: logger);

        await FakeClock.RunAsync(time, client.GetAsync(Endpoint), TimeSpan.FromMilliseconds(50));

        logger.AllText.Should().Contain("Retrying GET http://127.0.0.1:1/path").And.Contain("HTTP 503").And.NotContain("query-secret-value");
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
