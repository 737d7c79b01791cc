using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Emulator.Tests.TestSupport;

/// <summary>One emulator on a fake clock and an HttpClient aimed at it; dispose to stop both.</summary>
internal sealed class EmulatorTestContext : IAsyncDisposable
{
    /// <summary>Where every test's clock starts: the expected <c>Expiration</c> values in the tests count from here.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private EmulatorTestContext(CloudEmulator emulator, FakeTimeProvider time, List<string> requestLog)
    {
        Emulator = emulator;
        Time = time;
        RequestLog = requestLog;
        Client = new HttpClient { BaseAddress = emulator.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public CloudEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public List<string> RequestLog { get; }

    public static async Task<EmulatorTestContext> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var time = new FakeTimeProvider(Start);
        var log = new List<string>();
        var options = new EmulatorOptions
        {
            TimeProvider = time,
            RequestLog = line =>
            {
                lock (log)
                {
                    log.Add(line);
                }
            },
        };
        configure?.Invoke(options);
        CloudEmulator emulator = await CloudEmulator.StartAsync(options);
        return new EmulatorTestContext(emulator, time, log);
    }

    public async Task<string> PutTokenAsync(int ttlSeconds = 21600)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/latest/api/token");
        request.Headers.Add("X-aliyun-ecs-metadata-token-ttl-seconds", ttlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using HttpResponseMessage response = await Client.SendAsync(request);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<HttpResponseMessage> GetMetadataAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Add("X-aliyun-ecs-metadata-token", token);
        }

        return await Client.SendAsync(request);
    }

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)
        ?? throw new InvalidOperationException("The response is not a JSON object.");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
    }
}
