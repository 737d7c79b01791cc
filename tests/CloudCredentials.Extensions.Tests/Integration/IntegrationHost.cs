using CloudCredentials.Caching;
using CloudCredentials.Emulator;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// An emulator plus a service provider built the way an app builds it: <c>AddCloudCredentials</c> with options
/// pointing at the emulator, every log captured at Trace level, and (optionally) one fake clock shared by the
/// emulator and the library. On dispose it checks that no secret it saw reached the logs.
/// </summary>
internal sealed class IntegrationHost : IAsyncDisposable
{
    /// <summary>The AccessKey pair the emulator accepts for AssumeRole signatures in these tests.</summary>
    public const string KeyId = "LTAIintegrationKeyId";

    /// <summary>The secret of <see cref="KeyId"/>; must never be logged.</summary>
    public const string KeySecret = "integration-key-secret-Zq81Lw";

    public const string RoleArn = EmulatorHarness.RoleArn;
    public const string OidcProviderArn = EmulatorHarness.OidcProviderArn;

    /// <summary>The role name the emulator's metadata service serves.</summary>
    public const string EcsRoleName = "app-role";

    private IntegrationHost(CloudEmulator emulator, ServiceProvider services, FakeLogCollector logs, FakeTimeProvider? time)
    {
        Emulator = emulator;
        Services = services;
        Logs = logs;
        Time = time;
    }

    public CloudEmulator Emulator { get; }

    public ServiceProvider Services { get; }

    public FakeLogCollector Logs { get; }

    public FakeTimeProvider? Time { get; }

    /// <summary>Every secret seen (configured, issued, written to token files); none may appear in logs or messages.</summary>
    public List<string> Secrets { get; } = [KeySecret, EmulatorOptions.DefaultAccessKeySecret];

    public string StsEndpoint => Emulator.BaseAddress.ToString();

    public string MetadataEndpoint => Emulator.BaseAddress.ToString();

    /// <summary>Starts an emulator (on <paramref name="time"/> when given) accepting <see cref="KeyId"/>, then builds the services.</summary>
    public static async Task<IntegrationHost> StartAsync(
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
        return new IntegrationHost(emulator, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }), logs, time);
    }

    /// <summary>Starts an emulator accepting <see cref="KeyId"/>, serving role <see cref="EcsRoleName"/>.</summary>
    public static Task<CloudEmulator> StartEmulatorAsync(TimeProvider? time = null, Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { TimeProvider = time ?? TimeProvider.System, RoleName = EcsRoleName };
        options.AccessKeys[KeyId] = KeySecret;
        configure?.Invoke(options);
        return CloudEmulator.StartAsync(options);
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

    public async ValueTask DisposeAsync()
    {
        try
        {
            AssertNoSecrets(Logs.AllText());
        }
        finally
        {
            await Services.DisposeAsync();
            await Emulator.DisposeAsync();
        }
    }
}
