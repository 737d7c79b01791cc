using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>
/// A Kestrel server on 127.0.0.1 with a random port, answering with one delegate (given the 1-based request number),
/// or, from <see cref="StartRecordingAsync"/>, recording every request and answering with a status and JSON body.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Counter _counter;
    private readonly ConcurrentQueue<RecordedRequest> _received;

    private LoopbackServer(WebApplication app, Uri baseAddress, Counter counter, ConcurrentQueue<RecordedRequest> received)
    {
        _app = app;
        BaseAddress = baseAddress;
        _counter = counter;
        _received = received;
    }

    public Uri BaseAddress { get; }

    /// <summary>The base address without the trailing slash: <c>http://127.0.0.1:port</c>.</summary>
    public string BaseUrl => BaseAddress.GetLeftPart(UriPartial.Authority);

    public int Requests => Volatile.Read(ref _counter.Value);

    /// <summary>The requests received so far, in order (recorded only by a server from <see cref="StartRecordingAsync"/>).</summary>
    public IReadOnlyList<RecordedRequest> Received => [.. _received];

    public static Task<LoopbackServer> StartAsync(Func<HttpContext, int, Task> handler) => StartAsync(handler, new ConcurrentQueue<RecordedRequest>());

    /// <summary>Starts a server that records each request; <paramref name="respond"/> gets it and returns (status, JSON body).</summary>
    public static Task<LoopbackServer> StartRecordingAsync(Func<RecordedRequest, (int Status, string Body)> respond)
    {
        var received = new ConcurrentQueue<RecordedRequest>();
        return StartAsync(
            async (context, _) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                string body = await reader.ReadToEndAsync();
                var recorded = new RecordedRequest(
                    new HttpMethod(context.Request.Method),
                    new Uri(context.Request.GetDisplayUrl()),
                    context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                    body);
                received.Enqueue(recorded);
                (int status, string responseBody) = respond(recorded);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(responseBody);
            },
            received);
    }

    private static async Task<LoopbackServer> StartAsync(Func<HttpContext, int, Task> handler, ConcurrentQueue<RecordedRequest> received)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var counter = new Counter();
        app.Run(context => handler(context, Interlocked.Increment(ref counter.Value)));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackServer(app, new Uri(address.EndsWith('/') ? address : address + "/"), counter, received);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Counter
    {
        public int Value;
    }
}
