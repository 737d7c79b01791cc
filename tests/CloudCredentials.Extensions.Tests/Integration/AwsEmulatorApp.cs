using System.Text.RegularExpressions;
using CloudCredentials.Emulator;
using CloudCredentials.Signing;
using CloudCredentials.Tests.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using CredentialCache = CloudCredentials.Caching.CredentialCache;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// An AWS app against the in-process emulator, both on one fake clock: a host built with <c>AddCloudCredentials</c>
/// from a <c>CloudCredentials</c> section and a SigV4-signed <c>sts</c> HttpClient (<c>AddAwsSigV4Signing</c>).
/// </summary>
internal sealed partial class AwsEmulatorApp : IAsyncDisposable
{
    public const string StsClient = "sts";

    private AwsEmulatorApp(FakeTimeProvider time, CloudEmulator emulator, IHost host)
    {
        Time = time;
        Emulator = emulator;
        Host = host;
    }

    public FakeTimeProvider Time { get; }

    public CloudEmulator Emulator { get; }

    public AwsEmulatorStats Stats => Emulator.Stats.Aws;

    public IHost Host { get; }

    public ICredentialSource Source => Host.Services.GetRequiredService<ICredentialSource>();

    public CredentialCache Cache => (CredentialCache)Source;

    /// <summary>Starts the emulator, then builds (not starts) the app with <paramref name="settings"/> (keys under <c>CloudCredentials</c>) for its address.</summary>
    public static async Task<AwsEmulatorApp> BuildAsync(Func<Uri, Dictionary<string, string?>> settings, Action<EmulatorOptions>? configureEmulator = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
        var options = new EmulatorOptions { TimeProvider = time };
        configureEmulator?.Invoke(options);
        CloudEmulator emulator = await CloudEmulator.StartAsync(options);
        var builder = ConfiguredHost.Builder(settings(emulator.BaseAddress));
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddHttpClient(StsClient, c => c.BaseAddress = emulator.BaseAddress).AddAwsSigV4Signing("sts", "us-east-1");
        return new AwsEmulatorApp(time, emulator, builder.Build());
    }

    /// <summary>A new client from the factory's pool, signed by the handler that asks <see cref="ICredentialSource"/> per request.</summary>
    public HttpClient SignedClient() => Host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(StsClient);

    /// <summary>Moves the clock (in steps that land on refresh points) and waits until the library has nothing due or under way.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await SettleAsync();
        Time.Advance(by);
        await SettleAsync();
    }

    private async Task SettleAsync()
    {
        CredentialCache cache = Cache;
        await Poll.UntilAsync(() => cache.PendingRefresh is not null || !(cache.NextRefreshAt <= Time.GetUtcNow()), "the refresh due has started");
        await cache.SettleAsync();
    }

    /// <summary>STS GetCallerIdentity with <paramref name="client"/>; <paramref name="credential"/> signs it by hand when given.</summary>
    public async Task<(int Status, string? Code)> GetCallerIdentityAsync(HttpClient client, CloudCredential? credential = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Emulator.BaseAddress, "/"))
        {
            Content = new FormUrlEncodedContent([new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]),
        };
        if (credential is not null)
        {
            new SigV4Signer("sts", "us-east-1").Sign(request, await request.Content.ReadAsByteArrayAsync(), credential, Time.GetUtcNow());
        }

        using HttpResponseMessage response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, CodePattern().Match(body) is { Success: true } m ? m.Groups[1].Value : null);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync();
        }
        finally
        {
            Host.Dispose();
            await Emulator.DisposeAsync();
        }
    }

    [GeneratedRegex("<Code>([^<]*)</Code>")]
    private static partial Regex CodePattern();
}
