using CloudCredentials.Caching;
using CloudCredentials.Tests.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>
/// Options reload: a changed configuration rebuilds the provider and the new credential is served; an invalid one
/// is rejected with an error log while the old credential keeps being served.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class OptionsReloadTests : IDisposable
{
    private const string OldSecret = "reload-old-secret-Ab12";
    private const string NewSecret = "reload-new-secret-Cd34";

    private readonly EnvironmentScope _env = new();
    private readonly SessionTempDirectory _dir = new();
    private readonly FakeLogCollector _logs = new();

    public void Dispose()
    {
        _dir.Dispose();
        _env.Dispose();
    }

    [Fact]
    public async Task Reload_ChangedAccessKeyId_NewCredentialIsServed()
    {
        IConfigurationRoot config = InMemory(("Type", "access_key"), ("AccessKeyId", "LTAIold"), ("AccessKeySecret", OldSecret));
        await using ServiceProvider services = Build(s => s.AddCloudCredentials(config));
        ICredentialSource source = services.GetRequiredService<ICredentialSource>();
        (await source.GetCredentialAsync()).AccessKeyId.Should().Be("LTAIold");

        config["CloudCredentials:AccessKeyId"] = "LTAInew";
        config["CloudCredentials:AccessKeySecret"] = NewSecret;
        config.Reload(); // rebuilds the provider and starts the fetch from it, before it returns

        await ((CredentialCache)source).SettleAsync();
        CurrentKeyId(source).Should().Be("LTAInew", "the reloaded credential is served");
        CloudCredential credential = await source.GetCredentialAsync();
        credential.AccessKeySecret.Should().Be(NewSecret);
        credential.ProviderName.Should().Be("static_ak");
        _logs.GetSnapshot().Should().Contain(e => e.Id.Id == 3000 && e.Level == LogLevel.Information);
        AssertLogsClean();
    }

    [Fact]
    public async Task Reload_OtherSectionChanged_ProviderNotRebuilt()
    {
        IConfigurationRoot config = InMemory(("Type", "access_key"), ("AccessKeyId", "LTAIold"), ("AccessKeySecret", OldSecret));
        await using ServiceProvider services = Build(s => s.AddCloudCredentials(config));
        ICredentialSource source = services.GetRequiredService<ICredentialSource>();
        (await source.GetCredentialAsync()).AccessKeyId.Should().Be("LTAIold");

        config["Unrelated:Setting"] = "changed";
        config.Reload();
        config["CloudCredentials:AccessKeyId"] = "LTAInew";
        config.Reload();

        await ((CredentialCache)source).SettleAsync();
        CurrentKeyId(source).Should().Be("LTAInew", "the reloaded credential is served");
        _logs.GetSnapshot().Count(e => e.Id.Id == 3000).Should().Be(1, "only the change to this registration's own settings rebuilds its provider");
    }

    [Fact]
    public async Task Reload_JsonFileChangedType_SwitchesProvider()
    {
        string path = _dir.Write("appsettings.json", """{"CloudCredentials":{"json":{"Type":"access_key","AccessKeyId":"LTAIjson","AccessKeySecret":"SECRET"}}}""".Replace("SECRET", OldSecret, StringComparison.Ordinal));
        IConfigurationRoot config = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
        await using ServiceProvider services = Build(s => s.AddCloudCredentials("json", config));
        ICredentialSource source = services.GetRequiredKeyedService<ICredentialSource>("json");
        (await source.GetCredentialAsync()).ProviderName.Should().Be("static_ak");

        File.WriteAllText(path, """{"CloudCredentials":{"json":{"Type":"sts","AccessKeyId":"STS.json","AccessKeySecret":"SECRET","SecurityToken":"reload-token"}}}""".Replace("SECRET", NewSecret, StringComparison.Ordinal));
        config.Reload();

        await ((CredentialCache)source).SettleAsync();
        CurrentKeyId(source).Should().Be("STS.json", "the reloaded credential is served");
        CloudCredential credential = await source.GetCredentialAsync();
        credential.Type.Should().Be("sts");
        credential.ProviderName.Should().Be("static_sts");
        credential.SecurityToken.Should().Be("reload-token");
    }

    [Theory]
    [InlineData("Type", "magic", "CloudCredentials:Type 'magic' is not a known credential type")]
    [InlineData("AccessKeyId", "", "CloudCredentials:AccessKeyId is required for Type 'access_key'")]
    [InlineData("Timeout", "abc", "CloudCredentials:Timeout is not valid")]
    public async Task Reload_InvalidConfiguration_OldCredentialServedAndErrorLogged(string key, string value, string expected)
    {
        IConfigurationRoot config = InMemory(("Type", "access_key"), ("AccessKeyId", "LTAIold"), ("AccessKeySecret", OldSecret));
        await using ServiceProvider services = Build(s => s.AddCloudCredentials(config));
        ICredentialSource source = services.GetRequiredService<ICredentialSource>();
        CloudCredential before = await source.GetCredentialAsync();

        config["CloudCredentials:" + key] = value;
        config["CloudCredentials:AccessKeySecret"] = NewSecret;
        Action reload = config.Reload;
        reload.Should().NotThrow("an invalid reload is reported in the log, not thrown at whoever triggered the reload");

        FakeLogRecord error = _logs.GetSnapshot().Should().ContainSingle(e => e.Id.Id == 3001, "the rejected reload is logged while reloading").Subject;
        error.Level.Should().Be(LogLevel.Error);
        error.Message.Should().Contain(expected);
        (await source.GetCredentialAsync()).Should().BeSameAs(before, "the old credential is still served");
        AssertLogsClean();

        // Fixing the configuration applies it.
        config["CloudCredentials:Type"] = "access_key";
        config["CloudCredentials:AccessKeyId"] = "LTAIfixed";
        config["CloudCredentials:Timeout"] = null;
        config.Reload();
        await ((CredentialCache)source).SettleAsync();
        CurrentKeyId(source).Should().Be("LTAIfixed", "the fixed configuration is applied");
    }

    [Fact]
    public async Task Reload_InvalidBeforeFirstFetch_RemoteProviderStillWorksWithLastValidSettings()
    {
        await using var emulator = await EmulatorFixture.StartEmulatorAsync();
        IConfigurationRoot config = InMemory(("Type", "credentials_uri"), ("CredentialsUri", emulator.CredentialsUri.ToString()));
        await using ServiceProvider services = Build(s => s.AddCloudCredentials(config));
        ICredentialSource source = services.GetRequiredService<ICredentialSource>();

        config["CloudCredentials:Timeout"] = "abc";
        Action reload = config.Reload;
        reload.Should().NotThrow();

        CloudCredential credential = await source.GetCredentialAsync();
        credential.ProviderName.Should().Be("credential_uri");
        emulator.Stats.CredentialsUriGets.Should().Be(1);
        _logs.GetSnapshot().Should().Contain(e => e.Id.Id == 3001 && e.Level == LogLevel.Error);
    }

    private static IConfigurationRoot InMemory(params (string Key, string Value)[] settings)
        => new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>("CloudCredentials:" + s.Key, s.Value)))
            .Build();

    private static string? CurrentKeyId(ICredentialSource source)
    {
        ValueTask<CloudCredential> call = source.GetCredentialAsync();
        return call.IsCompletedSuccessfully ? call.Result.AccessKeyId : null;
    }

    private ServiceProvider Build(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(_logs)));
        register(services);
        return services.BuildServiceProvider();
    }

    private void AssertLogsClean()
    {
        string text = _logs.AllText();
        text.Should().NotContain(OldSecret).And.NotContain(NewSecret);
    }
}
