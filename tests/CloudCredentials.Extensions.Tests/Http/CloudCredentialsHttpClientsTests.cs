using System.Net.Sockets;
using System.Net;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.Http;

public sealed class CloudCredentialsHttpClientsTests
{
    // Real time, tiny back-off: Kestrel runs on the real clock. The attempt timeout stays loose except where it is the subject.
    private static readonly HttpClientSettings Fast = new(
        AttemptTimeout: TimeSpan.FromSeconds(2),
        MaxRetryAttempts: 2,
        TotalTimeout: TimeSpan.FromSeconds(5),
        ConnectTimeout: TimeSpan.FromSeconds(1),
        RetryBaseDelay: TimeSpan.FromMilliseconds(5),
        UseProxy: false);

    private static ServiceProvider Build(string name, HttpClientSettings settings, FakeLogCollector? logs = null)
    {
        var services = new ServiceCollection();
        if (logs is not null)
        {
            services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        }

        services.AddCloudCredentialsHttpClient(name, _ => settings);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Name_KindAndSettings_NamesBySettingsNotRegistration()
    {
        CloudCredentialsHttpClients.Name(CloudCredentialsHttpClients.Sts, HttpClientSettings.Remote).Should().Be("CloudCredentials.Sts/a10000-t30000-c5000-r3-d200-proxy");
        CloudCredentialsHttpClients.Name(CloudCredentialsHttpClients.Metadata, HttpClientSettings.Metadata).Should().Be("CloudCredentials.Metadata/a1000-t5000-c1000-r2-d100-direct");
        CloudCredentialsHttpClients.Name(CloudCredentialsHttpClients.Sts, HttpClientSettings.FromOptions(HttpClientSettings.Remote, 20000, null))
            .Should().NotBe(CloudCredentialsHttpClients.Name(CloudCredentialsHttpClients.Sts, HttpClientSettings.Remote));
    }

    private static List<HttpMessageHandler> Chain(IServiceProvider provider, string name)
    {
        HttpMessageHandler? handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(name);
        var chain = new List<HttpMessageHandler>();
        while (handler is not null)
        {
            chain.Add(handler);
            handler = (handler as DelegatingHandler)?.InnerHandler;
        }

        return chain;
    }

    [Fact]
    public void AddCloudCredentialsHttpClient_BuildsPipeline_WithInfiniteTimeoutResilienceAndConfiguredSockets()
    {
        HttpClientSettings settings = HttpClientSettings.Metadata;
        using ServiceProvider provider = Build(CloudCredentialsHttpClients.Metadata, settings);

        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(CloudCredentialsHttpClients.Metadata);
        List<HttpMessageHandler> chain = Chain(provider, CloudCredentialsHttpClients.Metadata);

        client.Timeout.Should().Be(Timeout.InfiniteTimeSpan);
        chain.OfType<ResilienceHandler>().Should().ContainSingle();
        SocketsHttpHandler sockets = chain.OfType<SocketsHttpHandler>().Should().ContainSingle().Subject;
        sockets.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(1));
        sockets.UseProxy.Should().BeFalse();
        sockets.AllowAutoRedirect.Should().BeFalse();
        chain.Should().NotContain(h => h.GetType().Name.Contains("Logging", StringComparison.Ordinal), "URLs can carry tokens");
    }

    [Fact]
    public void AddCloudCredentialsHttpClient_CalledTwice_FirstSettingsWinAndOneResilienceHandler()
    {
        var services = new ServiceCollection();
        services.AddCloudCredentialsHttpClient("t", _ => Fast);
        services.AddCloudCredentialsHttpClient("t", _ => HttpClientSettings.Remote);
        using ServiceProvider provider = services.BuildServiceProvider();

        List<HttpMessageHandler> chain = Chain(provider, "t");

        chain.OfType<ResilienceHandler>().Should().ContainSingle();
        chain.OfType<SocketsHttpHandler>().Single().ConnectTimeout.Should().Be(Fast.ConnectTimeout);
    }

    [Fact]
    public void CreateClient_RemoteAndMetadataKinds_RemoteUsesProxyMetadataNever()
    {
        var services = new ServiceCollection();
        services.AddCloudCredentialsHttpClients();
        using ServiceProvider provider = services.BuildServiceProvider();

        foreach (string kind in new[] { CloudCredentialsHttpClients.Metadata, CloudCredentialsHttpClients.MetadataProbe, CloudCredentialsHttpClients.Sts })
        {
            HttpClientSettings settings = CloudCredentialsHttpClients.DefaultSettings(kind);
            using HttpClient client = CloudCredentialsHttpClients.CreateClient(provider, kind, settings);
            List<HttpMessageHandler> chain = Chain(provider, CloudCredentialsHttpClients.Name(kind, settings));
            chain.OfType<ResilienceHandler>().Should().ContainSingle();
            chain.OfType<SocketsHttpHandler>().Single().UseProxy.Should().Be(kind == CloudCredentialsHttpClients.Sts, kind);
        }
    }

    [Fact]
    public async Task CreateClient_KindNameConfiguredByTheApp_AppliesToTheSharedClientInsideThePipeline()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.ServiceUnavailable).ThenStatus(HttpStatusCode.OK, "ok");
        var services = new ServiceCollection();
        services.AddCloudCredentialsHttpClients();
        services.AddHttpClient(CloudCredentialsHttpClients.Sts).ConfigurePrimaryHttpMessageHandler(() => stub);
        using ServiceProvider provider = services.BuildServiceProvider();

        using HttpClient client = CloudCredentialsHttpClients.CreateClient(provider, CloudCredentialsHttpClients.Sts, Fast);
        HttpResponseMessage response = await client.GetAsync(new Uri("http://127.0.0.1:1/"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        stub.Calls.Should().Be(2, "the app's primary handler replaces the library's and the retry runs over it");
    }

    [Fact]
    public async Task Client_Retry_EmitsPollyMetricsAndLogs()
    {
        var logs = new FakeLogCollector();
        using var events = new MetricCollector<int>(null, "Polly", "resilience.polly.strategy.events");
        await using LoopbackServer server = await LoopbackServer.StartAsync(async (ctx, n) =>
        {
            ctx.Response.StatusCode = n == 1 ? 503 : 200;
            await ctx.Response.WriteAsync("x");
        });
        using ServiceProvider provider = Build("telemetry-probe", Fast, logs);

        await provider.GetRequiredService<IHttpClientFactory>().CreateClient("telemetry-probe").GetAsync(server.BaseAddress);

        events.GetMeasurementSnapshot().Should().Contain(m => Equals(m.Tags["event.name"], "OnRetry") && Equals(m.Tags["pipeline.name"], "telemetry-probe"));
        logs.GetSnapshot().Should().Contain(r => r.Category == "Polly" && r.Message.Contains("OnRetry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_Server503ThenOk_RetriesThroughRealStack()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(async (ctx, n) =>
        {
            ctx.Response.StatusCode = n == 1 ? 503 : 200;
            await ctx.Response.WriteAsync(n == 1 ? "busy" : "ok");
        });
        using ServiceProvider provider = Build("t", Fast);
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("t");

        HttpResponseMessage response = await client.GetAsync(server.BaseAddress);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        server.Requests.Should().Be(2);
    }

    [Fact]
    public async Task Client_Server400_NoRetry()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = 400;
            return Task.CompletedTask;
        });
        using ServiceProvider provider = Build("t", Fast);
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("t");

        (await client.GetAsync(server.BaseAddress)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        server.Requests.Should().Be(1);
    }

    [Fact]
    public async Task Client_FirstAnswerSlowerThanAttemptTimeout_SecondAttemptSucceeds()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(async (ctx, n) =>
        {
            if (n == 1)
            {
                // Never answers: the request ends when the client abandons it at its attempt timeout (or the server stops).
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await ctx.Response.WriteAsync("ok");
        });
        using ServiceProvider provider = Build("t", Fast with { AttemptTimeout = TimeSpan.FromMilliseconds(200) });
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("t");

        HttpResponseMessage response = await client.GetAsync(server.BaseAddress);

        (await response.Content.ReadAsStringAsync()).Should().Be("ok");
        server.Requests.Should().BeGreaterThanOrEqualTo(2, "the first attempt was abandoned at the attempt timeout");
    }

    [Fact]
    public async Task Client_ConnectionRefused_RetriesThenThrowsHttpRequestException()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using ServiceProvider provider = Build("t", Fast);
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("t");

        Func<Task> act = () => client.GetAsync(new Uri($"http://127.0.0.1:{port}/"));

        await act.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task Client_RequestWithTokenInQuery_FactoryLogsNothingSecret()
    {
        var logs = new FakeLogCollector();
        await using LoopbackServer server = await LoopbackServer.StartAsync(async (ctx, n) =>
        {
            ctx.Response.StatusCode = n == 1 ? 500 : 200;
            await ctx.Response.WriteAsync("x");
        });
        using ServiceProvider provider = Build("t", Fast, logs);
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("t");

        await client.GetAsync(new Uri(server.BaseAddress, "?SecurityToken=very-secret-token-value"));

        logs.AllText().Should().NotContain("very-secret-token-value");
        logs.AllText().Should().Contain("Retrying GET");
    }

    [Fact]
    public void FromOptions_Null_KeepsDefaults()
    {
        HttpClientSettings.FromOptions(HttpClientSettings.Remote, null, null).Should().Be(HttpClientSettings.Remote);
        HttpClientSettings.FromOptions(HttpClientSettings.Metadata, null, null).Should().Be(HttpClientSettings.Metadata);
    }

    [Fact]
    public void FromOptions_Values_SetAttemptAndConnectAndScaleTotal()
    {
        HttpClientSettings s = HttpClientSettings.FromOptions(HttpClientSettings.Remote, 20000, 3000);

        s.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(20));
        s.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(3));
        s.TotalTimeout.Should().Be(TimeSpan.FromSeconds(60));
        s.MaxRetryAttempts.Should().Be(HttpClientSettings.Remote.MaxRetryAttempts);
        s.UseProxy.Should().BeTrue();
        HttpClientSettings.FromOptions(HttpClientSettings.Remote, 10000, 5000).Should().Be(HttpClientSettings.Remote);
    }

    [Fact]
    public void Defaults_MatchTheSpec()
    {
        HttpClientSettings.Metadata.Should().Be(new HttpClientSettings(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), false));
        HttpClientSettings.Remote.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(10));
        HttpClientSettings.Remote.MaxRetryAttempts.Should().Be(3);
        HttpClientSettings.Remote.TotalTimeout.Should().Be(TimeSpan.FromSeconds(30));
        HttpClientSettings.Remote.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(9, null)]
    [InlineData(null, -1)]
    public void FromOptions_NonPositive_Throws(int? timeout, int? connect)
    {
        Action act = () => HttpClientSettings.FromOptions(HttpClientSettings.Remote, timeout, connect);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
