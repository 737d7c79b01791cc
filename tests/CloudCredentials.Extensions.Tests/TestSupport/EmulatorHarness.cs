using CloudCredentials.Alibaba.CredentialsUri;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Emulator;
using CloudCredentials.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>
/// The emulator plus the real HTTP stack in front of it: IHttpClientFactory clients registered with
/// <see cref="CloudCredentialsHttpClients.AddCloudCredentialsHttpClient"/> (resilience handler on the real clock,
/// tiny budgets), clients and providers built the way the lead's DI code builds them, a capturing logger, and one
/// fake clock shared by the emulator and the clients (token TTLs, STS timestamps, expirations).
/// </summary>
internal sealed class EmulatorHarness : IAsyncDisposable
{
    public const string RoleArn = "acs:ram::1234567890123456:role/app-role";
    public const string OidcProviderArn = "acs:ram::1234567890123456:oidc-provider/k8s";

    /// <summary>Real-time budgets: tiny back-off; attempt timeouts loose enough that a slow first request (JIT, a busy machine) is not one.</summary>
    public static readonly HttpClientSettings Fast = new(
        AttemptTimeout: TimeSpan.FromSeconds(5),
        MaxRetryAttempts: 2,
        TotalTimeout: TimeSpan.FromSeconds(20),
        ConnectTimeout: TimeSpan.FromSeconds(2),
        RetryBaseDelay: TimeSpan.FromMilliseconds(5),
        UseProxy: false);

    /// <summary>For timeout tests only: 200 ms attempts (the emulator's Delay fault holds the answer for seconds).</summary>
    public static readonly HttpClientSettings Short = Fast with { AttemptTimeout = TimeSpan.FromMilliseconds(200) };

    private readonly ServiceProvider _services;

    private EmulatorHarness(CloudEmulator emulator, FakeTimeProvider time, ServiceProvider services, FakeLogCollector logs)
    {
        Emulator = emulator;
        Time = time;
        _services = services;
        Logs = logs;
    }

    public CloudEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public FakeLogCollector Logs { get; }

    public ImdsTokenCache TokenCache => _services.GetRequiredService<ImdsTokenCache>();

    /// <summary>Secrets seen in this test (returned credentials, the emulator's key secret); none may appear in messages or logs.</summary>
    public List<string> Secrets { get; } = [EmulatorOptions.DefaultAccessKeySecret];

    public static async Task<EmulatorHarness> StartAsync(Action<EmulatorOptions>? configure = null, HttpClientSettings? settings = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new EmulatorOptions { TimeProvider = time, RoleName = "app-role" };
        configure?.Invoke(options);
        CloudEmulator emulator = await CloudEmulator.StartAsync(options);

        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<ImdsTokenCache>();
        HttpClientSettings s = settings ?? Fast;
        services.AddCloudCredentialsHttpClient(CloudCredentialsHttpClients.Metadata, _ => s);
        services.AddCloudCredentialsHttpClient(CloudCredentialsHttpClients.Sts, _ => s);
        services.AddCloudCredentialsHttpClient(CloudCredentialsHttpClients.CredentialsUri, _ => s);
        return new EmulatorHarness(emulator, time, services.BuildServiceProvider(), logs);
    }

    public StsClient CreateStsClient() => new(
        _services.GetRequiredService<IHttpClientFactory>().CreateClient(CloudCredentialsHttpClients.Sts),
        Time,
        _services.GetRequiredService<ILoggerFactory>().CreateLogger<StsClient>());

    public EcsMetadataClient CreateMetadataClient() => new(
        _services.GetRequiredService<IHttpClientFactory>().CreateClient(CloudCredentialsHttpClients.Metadata),
        TokenCache,
        Time,
        _services.GetRequiredService<ILoggerFactory>().CreateLogger<EcsMetadataClient>());

    public CredentialsUriClient CreateCredentialsUriClient() => new(
        _services.GetRequiredService<IHttpClientFactory>().CreateClient(CloudCredentialsHttpClients.CredentialsUri),
        _services.GetRequiredService<ILoggerFactory>().CreateLogger<CredentialsUriClient>());

    public RamRoleArnProvider RamRoleArn(ICredentialSource? signing = null, Uri? endpoint = null, int durationSeconds = 3600) => new(
        signing ?? StaticSource.AccessKey(EmulatorOptions.DefaultAccessKeyId, EmulatorOptions.DefaultAccessKeySecret),
        new RoleSessionParameters(RoleArn, "credentials-dotnet-1", durationSeconds, null, endpoint ?? Emulator.BaseAddress),
        null,
        CreateStsClient);

    public OidcRoleArnProvider OidcRoleArn(string tokenFile) => new(
        new OidcRoleArnSpec(new RoleSessionParameters(RoleArn, "credentials-dotnet-1", 3600, null, Emulator.BaseAddress), OidcProviderArn, tokenFile),
        CreateStsClient);

    public EcsRamRoleProvider EcsRamRole(string? roleName = null, bool disableV1 = false) => new(
        new EcsRamRoleSpec(roleName, disableV1, Emulator.BaseAddress),
        CreateMetadataClient);

    public CredentialsUriProvider CredentialsUri(Uri? uri = null) => new(
        new CredentialsUriSpec(uri ?? Emulator.CredentialsUri),
        CreateCredentialsUriClient);

    /// <summary>Fetches and remembers the returned secrets.</summary>
    public async Task<CloudCredential> FetchAsync(ICredentialProvider provider)
    {
        CloudCredential credential = await provider.FetchAsync(CancellationToken.None);
        Secrets.Add(credential.AccessKeySecret!);
        Secrets.Add(credential.SecurityToken!);
        return credential;
    }

    /// <summary>Fetches, expecting failure; checks the exception and the logs hold no secret.</summary>
    public async Task<CredentialUnavailableException> FetchFailsAsync(ICredentialProvider provider)
    {
        Func<Task> act = () => provider.FetchAsync(CancellationToken.None).AsTask();
        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        AssertNoSecrets(ex.ToString());
        return ex;
    }

    public void AssertNoSecrets(string text)
    {
        foreach (string secret in Secrets.Where(s => !string.IsNullOrEmpty(s)))
        {
            text.Should().NotContain(secret);
        }

        text.Should().NotContain("AQAEA", "IMDS tokens are secrets");
    }

    public void AssertLogsClean() => AssertNoSecrets(Logs.AllText());

    public async ValueTask DisposeAsync()
    {
        try
        {
            AssertLogsClean();
        }
        finally
        {
            await _services.DisposeAsync();
            await Emulator.DisposeAsync();
        }
    }
}
