using CloudCredentials.Alibaba.CredentialsUri;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Caching;
using CloudCredentials.Emulator;
using CloudCredentials.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>
/// The one emulator fixture of these tests: an in-process emulator on 127.0.0.1, every log captured at Trace level,
/// the secrets seen so far, and on dispose a check that none of them reached the logs. Two ways in:
/// <list type="bullet">
/// <item><see cref="StartClientsAsync"/>: the real HTTP stack (IHttpClientFactory clients with the resilience handler
/// and tiny budgets) and the clients and providers built directly, on one fake clock shared with the emulator (token
/// TTLs, STS timestamps, expirations) — for one component against the emulator.</item>
/// <item><see cref="StartHostAsync"/>: a service provider built the way an app builds it (<c>AddCloudCredentials</c>
/// with options pointing at the emulator), optionally on a fake clock — end to end.</item>
/// </list>
/// </summary>
internal sealed class EmulatorFixture : IAsyncDisposable
{
    /// <summary>The AccessKey pair the emulator accepts for AssumeRole signatures in the host tests.</summary>
    public const string KeyId = "LTAIintegrationKeyId";

    /// <summary>The secret of <see cref="KeyId"/>; must never be logged.</summary>
    public const string KeySecret = "integration-key-secret-Zq81Lw";

    public const string RoleArn = "acs:ram::1234567890123456:role/app-role";
    public const string OidcProviderArn = "acs:ram::1234567890123456:oidc-provider/k8s";

    /// <summary>The role name the emulator's metadata service serves.</summary>
    public const string EcsRoleName = "app-role";

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

    private readonly FakeTimeProvider? _time;

    private EmulatorFixture(CloudEmulator emulator, ServiceProvider services, FakeLogCollector logs, FakeTimeProvider? time)
    {
        Emulator = emulator;
        Services = services;
        Logs = logs;
        _time = time;
    }

    public CloudEmulator Emulator { get; }

    /// <summary>The clients' services (<see cref="StartClientsAsync"/>) or the app's (<see cref="StartHostAsync"/>).</summary>
    public ServiceProvider Services { get; }

    public FakeLogCollector Logs { get; }

    /// <summary>The fake clock shared by the emulator and the library; only for a fixture started on one.</summary>
    public FakeTimeProvider Time => _time ?? throw new InvalidOperationException("This fixture runs on the system clock.");

    /// <summary>Every secret seen (configured, issued, written to token files); none may appear in logs or messages.</summary>
    public List<string> Secrets { get; } = [KeySecret, EmulatorOptions.DefaultAccessKeySecret];

    public string StsEndpoint => Emulator.BaseAddress.ToString();

    public string MetadataEndpoint => Emulator.BaseAddress.ToString();

    public ImdsTokenCache TokenCache => Services.GetRequiredService<ImdsTokenCache>();

    /// <summary>Starts an emulator on a fake clock (2026-05-01) serving role <see cref="EcsRoleName"/>, and the library's HTTP clients for it.</summary>
    public static async Task<EmulatorFixture> StartClientsAsync(Action<EmulatorOptions>? configure = null, HttpClientSettings? settings = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        CloudEmulator emulator = await StartEmulatorAsync(time, configure);
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<ImdsTokenCache>();
        HttpClientSettings s = settings ?? Fast;
        services.AddCloudCredentialsHttpClient(CloudCredentialsHttpClients.Metadata, _ => s);
        services.AddCloudCredentialsHttpClient(CloudCredentialsHttpClients.Sts, _ => s);
        services.AddCloudCredentialsHttpClient(CloudCredentialsHttpClients.CredentialsUri, _ => s);
        return new EmulatorFixture(emulator, services.BuildServiceProvider(), logs, time);
    }

    /// <summary>Starts an emulator (on <paramref name="time"/> when given) accepting <see cref="KeyId"/>, then builds the app's services.</summary>
    public static async Task<EmulatorFixture> StartHostAsync(
        Action<IServiceCollection, CloudEmulator> register,
        FakeTimeProvider? time = null,
        Action<EmulatorOptions>? configureEmulator = null)
    {
        CloudEmulator emulator = await StartEmulatorAsync(time, configureEmulator);
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        if (time is not null)
        {
            // Before AddCloudCredentials: its TryAdd keeps this one.
            services.AddSingleton<TimeProvider>(time);
        }

        register(services, emulator);
        return new EmulatorFixture(emulator, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }), logs, time);
    }

    /// <summary>Starts an emulator accepting <see cref="KeyId"/>, serving role <see cref="EcsRoleName"/>.</summary>
    public static Task<CloudEmulator> StartEmulatorAsync(TimeProvider? time = null, Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { TimeProvider = time ?? TimeProvider.System, RoleName = EcsRoleName };
        options.AccessKeys[KeyId] = KeySecret;
        configure?.Invoke(options);
        return CloudEmulator.StartAsync(options);
    }

    public StsClient CreateStsClient() => new(
        Services.GetRequiredService<IHttpClientFactory>().CreateClient(CloudCredentialsHttpClients.Sts),
        Time,
        Services.GetRequiredService<ILoggerFactory>().CreateLogger<StsClient>());

    public EcsMetadataClient CreateMetadataClient() => new(
        Services.GetRequiredService<IHttpClientFactory>().CreateClient(CloudCredentialsHttpClients.Metadata),
        TokenCache,
        Time,
        Services.GetRequiredService<ILoggerFactory>().CreateLogger<EcsMetadataClient>());

    public CredentialsUriClient CreateCredentialsUriClient() => new(
        Services.GetRequiredService<IHttpClientFactory>().CreateClient(CloudCredentialsHttpClients.CredentialsUri),
        Services.GetRequiredService<ILoggerFactory>().CreateLogger<CredentialsUriClient>());

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

    /// <summary>Fetches from a provider and remembers the returned secrets.</summary>
    public async Task<CloudCredential> FetchAsync(ICredentialProvider provider)
    {
        CloudCredential credential = await provider.FetchAsync(CancellationToken.None);
        Remember(credential);
        return credential;
    }

    /// <summary>Fetches from a provider, expecting failure; checks the exception holds no secret.</summary>
    public async Task<CredentialUnavailableException> FetchFailsAsync(ICredentialProvider provider)
    {
        Func<Task> act = () => provider.FetchAsync(CancellationToken.None).AsTask();
        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        AssertNoSecrets(ex.ToString());
        return ex;
    }

    /// <summary>The source of the default registration (<paramref name="name"/> null) or of a named one.</summary>
    public ICredentialSource Source(string? name = null)
        => name is null ? Services.GetRequiredService<ICredentialSource>() : Services.GetRequiredKeyedService<ICredentialSource>(name);

    /// <summary>The cache behind a registration's source.</summary>
    public CredentialCache Cache(string? name = null) => (CredentialCache)Source(name);

    /// <summary>Gets the registration's credential and remembers its secrets.</summary>
    public async Task<CloudCredential> GetAsync(string? name = null)
    {
        CloudCredential credential = await Source(name).GetCredentialAsync(CancellationToken.None);
        Remember(credential);
        return credential;
    }

    /// <summary>Gets the registration's credential, expecting failure; checks the message holds no secret.</summary>
    public async Task<CredentialUnavailableException> GetFailsAsync(string? name = null)
    {
        Func<Task> act = () => Source(name).GetCredentialAsync(CancellationToken.None).AsTask();
        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        AssertNoSecrets(ex.ToString());
        return ex;
    }

    public void Remember(CloudCredential credential)
    {
        foreach (string? secret in new[] { credential.AccessKeySecret, credential.SecurityToken, credential.BearerToken })
        {
            if (!string.IsNullOrEmpty(secret))
            {
                Secrets.Add(secret);
            }
        }
    }

    public void AssertNoSecrets(string text)
    {
        foreach (string secret in Secrets.Where(s => !string.IsNullOrEmpty(s)).Distinct())
        {
            text.Should().NotContain(secret);
        }

        text.Should().NotContain("AQAEA", "IMDSv2 tokens are secrets");
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
            await Services.DisposeAsync();
            await Emulator.DisposeAsync();
        }
    }
}
