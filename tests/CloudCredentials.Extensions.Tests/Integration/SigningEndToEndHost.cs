using System.Globalization;
using CloudCredentials.Emulator;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// An app's signed HttpClient against the in-process emulator, built as an app builds it: <c>AddCloudCredentials</c>,
/// <c>AddHttpClient</c>, <c>AddResilienceHandler</c> (retries), then the signing handler, then a test-only
/// <see cref="AttemptRecorder"/> innermost, which sees each attempt exactly as signed (and may tamper with it).
/// The client and the emulator share one fake clock unless <c>clientClockOffset</c> shifts the client's; the clock
/// moves 1 s between attempts, as time passes between real retries. Every log is captured and scanned for secrets on
/// dispose.
/// </summary>
internal sealed class SigningEndToEndHost : IAsyncDisposable
{
    public const string ClientName = "signed";

    public static readonly DateTimeOffset Start = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private SigningEndToEndHost(EmulatorFixture fixture, AttemptRecorder recorder, FakeTimeProvider clientTime)
    {
        Fixture = fixture;
        Recorder = recorder;
        ClientTime = clientTime;
    }

    public EmulatorFixture Fixture { get; }

    public CloudEmulator Emulator => Fixture.Emulator;

    /// <summary>Every attempt the client sent, as signed, with the emulator's answer.</summary>
    public AttemptRecorder Recorder { get; }

    /// <summary>The app's clock (the emulator's too, unless started with an offset).</summary>
    public FakeTimeProvider ClientTime { get; }

    public HttpClient Client => Fixture.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

    /// <summary>Starts the emulator and the app.</summary>
    /// <param name="credential">The app's credential registration (the emulator is passed for its endpoint).</param>
    /// <param name="sign">Adds the signing handler to the client.</param>
    /// <param name="tamper">Changes a signed attempt before it is sent, or <see langword="null"/>.</param>
    /// <param name="clientClockOffset">How far the app's clock is from the emulator's.</param>
    public static async Task<SigningEndToEndHost> StartAsync(
        Action<CloudCredentialsOptions, CloudEmulator> credential,
        Action<IHttpClientBuilder> sign,
        Func<HttpRequestMessage, Task>? tamper = null,
        TimeSpan clientClockOffset = default)
    {
        var emulatorTime = new FakeTimeProvider(Start);
        var clientTime = clientClockOffset == TimeSpan.Zero ? emulatorTime : new FakeTimeProvider(Start + clientClockOffset);
        var recorder = new AttemptRecorder(tamper);
        EmulatorFixture fixture = await EmulatorFixture.StartHostAsync(
            (services, emulator) =>
            {
                services.AddSingleton<TimeProvider>(clientTime);

                // As README "Call a cloud API" advises for signed clients: the factory's Trace header log carries raw
                // header values (a security token) in its structured state.
                services.AddLogging(b => b.AddFilter("System.Net.Http.HttpClient", LogLevel.Debug));
                services.AddCloudCredentials(o => credential(o, emulator));
                IHttpClientBuilder client = services.AddHttpClient(ClientName, c => c.BaseAddress = emulator.BaseAddress);
                client.AddResilienceHandler("retry", r => r.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.Zero,
                    BackoffType = DelayBackoffType.Constant,
                    UseJitter = false,
                    OnRetry = _ =>
                    {
                        emulatorTime.Advance(TimeSpan.FromSeconds(1));
                        if (!ReferenceEquals(clientTime, emulatorTime))
                        {
                            clientTime.Advance(TimeSpan.FromSeconds(1));
                        }

                        return default;
                    },
                }));
                sign(client);
                client.AddHttpMessageHandler(recorder.CreateHandler);
            },
            configureEmulator: o => o.TimeProvider = emulatorTime);
        fixture.Secrets.Add(AwsEmulatorOptions.DefaultSecretAccessKey);
        return new SigningEndToEndHost(fixture, recorder, clientTime);
    }

    /// <summary>The Alibaba key pair the emulator knows, as an <c>access_key</c> registration.</summary>
    public static void AlibabaAccessKey(CloudCredentialsOptions o, CloudEmulator emulator)
    {
        o.Type = "access_key";
        o.AccessKeyId = EmulatorFixture.KeyId;
        o.AccessKeySecret = EmulatorFixture.KeySecret;
    }

    /// <summary>The AWS key pair the emulator knows, as an <c>aws</c> <c>access_key</c> registration.</summary>
    public static void AwsAccessKey(CloudCredentialsOptions o, CloudEmulator emulator)
    {
        o.Cloud = "aws";
        o.Type = "access_key";
        o.AccessKeyId = AwsEmulatorOptions.DefaultAccessKeyId;
        o.AccessKeySecret = AwsEmulatorOptions.DefaultSecretAccessKey;
    }

    /// <summary>Gets the registration's current credential and remembers its secrets for the log scan.</summary>
    public Task<CloudCredential> RememberCredentialAsync() => Fixture.GetAsync();

    /// <summary>Sends a request, reads the answer and checks that neither the answer nor any log quotes a secret.</summary>
    public async Task<(System.Net.HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request)
    {
        using HttpResponseMessage response = await Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Fixture.AssertNoSecrets(body);
        return (response.StatusCode, body);
    }

    /// <summary>Asserts two attempts, each signed afresh: every one of <paramref name="perAttemptHeaders"/> and the signature differ.</summary>
    public void ShouldBeReSigned(params string[] perAttemptHeaders)
    {
        foreach (string header in perAttemptHeaders.Append("Authorization"))
        {
            Recorder.Header(header).Should().HaveCount(2).And.OnlyHaveUniqueItems($"each attempt is signed afresh ({header})");
        }
    }

    /// <summary>A tamper step that moves a signed date header (<c>x-acs-date</c>, <c>x-amz-date</c>) by one second.</summary>
    public static Func<HttpRequestMessage, Task> ShiftSignedDate(string header, string format) => request =>
    {
        DateTimeOffset signed = DateTimeOffset.ParseExact(request.Headers.GetValues(header).Single(), format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, signed.AddSeconds(1).ToString(format, CultureInfo.InvariantCulture));
        return Task.CompletedTask;
    };

    /// <summary>A tamper step that swaps the signed body for <paramref name="body"/>, keeping the content headers.</summary>
    public static Func<HttpRequestMessage, Task> ReplaceBody(string body) => request =>
    {
        HttpContent signed = request.Content!;
        var changed = new StringContent(body);
        changed.Headers.Clear();
        foreach (KeyValuePair<string, IEnumerable<string>> header in signed.Headers.Where(h => h.Key != "Content-Length"))
        {
            changed.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        request.Content = changed;
        return Task.CompletedTask;
    };

    public ValueTask DisposeAsync() => Fixture.DisposeAsync();
}
