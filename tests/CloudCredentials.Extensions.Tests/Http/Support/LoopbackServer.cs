using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.Http.Support;

/// <summary>A Kestrel server on 127.0.0.1 with a random port, answering with one delegate (given the 1-based request number).</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Counter _counter;

    private LoopbackServer(WebApplication app, Uri baseAddress, Counter counter)
    {
        _app = app;
        BaseAddress = baseAddress;
        _counter = counter;
    }

    public Uri BaseAddress { get; }

    public int Requests => Volatile.Read(ref _counter.Value);

    public static async Task<LoopbackServer> StartAsync(Func<HttpContext, int, Task> handler)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var counter = new Counter();
        app.Run(context => handler(context, Interlocked.Increment(ref counter.Value)));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackServer(app, new Uri(address.EndsWith('/') ? address : address + "/"), counter);
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
