using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>
/// Invalid settings fail a real host's StartAsync (ValidateOnStart) with an OptionsValidationException that names
/// the key and the fix, and never a secret value.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ValidateOnStartTests : IDisposable
{
    private const string Secret = "validate-secret-Pw93xQ";
    private const string Token = "validate-token-Lm27zR";

    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task StartAsync_UnknownType_FailsNamingTypeAndSupportedValues()
    {
        OptionsValidationException ex = await StartFailsAsync(new() { ["Type"] = "magic", ["AccessKeyId"] = "LTAIx", ["AccessKeySecret"] = Secret });

        ex.Message.Should().Contain("CloudCredentials:Type 'magic' is not a known credential type")
            .And.Contain("use one of: access_key, sts, bearer, ram_role_arn, oidc_role_arn, ecs_ram_role, credentials_uri");
        ex.OptionsType.Should().Be<CloudCredentialsOptions>();
    }

    [Fact]
    public async Task StartAsync_RsaKeyPair_FailsAsDeprecated()
    {
        OptionsValidationException ex = await StartFailsAsync(new() { ["Type"] = "rsa_key_pair" });

        ex.Message.Should().Contain("CloudCredentials:Type 'rsa_key_pair' is deprecated").And.Contain("use 'ram_role_arn' or 'access_key'");
    }

    [Theory]
    [InlineData("access_key", "AccessKeySecret", "AccessKeyId", "or the ALIBABA_CLOUD_ACCESS_KEY_ID environment variable")]
    [InlineData("access_key", "AccessKeyId", "AccessKeySecret", "or the ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variable")]
    [InlineData("sts", "AccessKeyId,AccessKeySecret", "SecurityToken", "or the ALIBABA_CLOUD_SECURITY_TOKEN environment variable")]
    [InlineData("bearer", "", "BearerToken", "set it in configuration")]
    [InlineData("ram_role_arn", "AccessKeyId,AccessKeySecret", "RoleArn", "or the ALIBABA_CLOUD_ROLE_ARN environment variable")]
    [InlineData("ram_role_arn", "AccessKeyId,RoleArn", "AccessKeySecret", "or the ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variable")]
    [InlineData("oidc_role_arn", "RoleArn,OIDCTokenFilePath", "OIDCProviderArn", "or the ALIBABA_CLOUD_OIDC_PROVIDER_ARN environment variable")]
    [InlineData("oidc_role_arn", "RoleArn,OIDCProviderArn", "OIDCTokenFilePath", "or the ALIBABA_CLOUD_OIDC_TOKEN_FILE environment variable")]
    [InlineData("oidc_role_arn", "OIDCProviderArn,OIDCTokenFilePath", "RoleArn", "or the ALIBABA_CLOUD_ROLE_ARN environment variable")]
    [InlineData("credentials_uri", "", "CredentialsUri", "or the ALIBABA_CLOUD_CREDENTIALS_URI environment variable")]
    public async Task StartAsync_MissingRequiredKey_FailsNamingKeyAndFix(string type, string present, string missing, string fix)
    {
        var settings = new Dictionary<string, string?> { ["Type"] = type, ["SecurityToken"] = type == "sts" ? null : Token };
        foreach (string key in present.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            settings[key] = key == "AccessKeySecret" ? Secret : "value-of-" + key;
        }

        OptionsValidationException ex = await StartFailsAsync(settings);

        ex.Failures.Should().ContainSingle().Which.Should().Be($"CloudCredentials:{missing} is required for Type '{type}'; set it in configuration{(fix.StartsWith("or", StringComparison.Ordinal) ? " " + fix : string.Empty)}");
    }

    [Fact]
    public async Task StartAsync_EcsRamRoleWhileMetadataDisabled_FailsNamingVariable()
    {
        OptionsValidationException ex = await StartFailsAsync(new() { ["Type"] = "ecs_ram_role" });

        ex.Message.Should().Contain("CloudCredentials:Type is 'ecs_ram_role' but IMDS credentials are disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true")
            .And.Contain("unset it or choose another Type");
    }

    [Theory]
    [InlineData(899)]
    [InlineData(60)]
    public async Task StartAsync_RoleSessionExpirationBelow900_Fails(int seconds)
    {
        OptionsValidationException ex = await StartFailsAsync(RamRole(("RoleSessionExpiration", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        ex.Message.Should().Contain($"CloudCredentials:RoleSessionExpiration is {seconds}; the session duration must be at least 900 seconds");
    }

    [Theory]
    [InlineData("Timeout", "abc", "a whole number")]
    [InlineData("ConnectTimeout", "1.5s", "a whole number")]
    [InlineData("RoleSessionExpiration", "one hour", "a whole number")]
    [InlineData("EnableVpc", "maybe", "true or false")]
    [InlineData("Refresh:RefreshBefore", "soon", "a duration such as 00:15:00")]
    public async Task StartAsync_UnconvertibleValue_FailsNamingKeyWithoutThrowingFromBinding(string key, string value, string expected)
    {
        OptionsValidationException ex = await StartFailsAsync(RamRole((key, value)));

        ex.Message.Should().Contain($"CloudCredentials:{key} is not valid: expected {expected}");
    }

    [Theory]
    [InlineData("Timeout", "9")]
    [InlineData("Timeout", "0")]
    [InlineData("ConnectTimeout", "5")]
    [InlineData("ConnectTimeout", "-1")]
    public async Task StartAsync_TimeoutBelow10Milliseconds_Fails(string key, string value)
    {
        OptionsValidationException ex = await StartFailsAsync(RamRole((key, value)));

        ex.Failures.Should().ContainSingle().Which.Should().StartWith($"CloudCredentials:{key} is {value};").And.Contain("at least 10");
    }

    [Fact]
    public async Task StartAsync_TimeoutsOfTenMilliseconds_Start()
    {
        await using StartedHost started = await StartAsync(RamRole(("Timeout", "10"), ("ConnectTimeout", "10")));
    }

    [Theory]
    [InlineData("http://example.com/creds")]
    [InlineData("http://example.com/creds?token=uri-secret-Qq11")]
    [InlineData("http://10.1.2.3:8080/creds")]
    public async Task StartAsync_PlainHttpCredentialsUriToNonLocalHost_Fails(string uri)
    {
        OptionsValidationException ex = await StartFailsAsync(new() { ["Type"] = "credentials_uri", ["CredentialsUri"] = uri });

        ex.Failures.Should().ContainSingle().Which.Should().StartWith("CloudCredentials:CredentialsUri")
            .And.Contain("plain http").And.Contain("Use https").And.Contain("AllowedHttpHosts");
        ex.ToString().Should().NotContain("uri-secret-Qq11");
    }

    [Theory]
    [InlineData("https://example.com/creds", null)]
    [InlineData("http://127.0.0.1:8080/creds", null)]
    [InlineData("http://169.254.170.2/creds", null)]
    [InlineData("http://creds.internal/creds", "creds.internal")]
    public async Task StartAsync_AcceptableCredentialsUri_Starts(string uri, string? allowedHost)
    {
        var settings = new Dictionary<string, string?> { ["Type"] = "credentials_uri", ["CredentialsUri"] = uri };
        if (allowedHost is not null)
        {
            settings["AllowedHttpHosts:0"] = allowedHost;
        }

        await using StartedHost started = await StartAsync(settings);
    }

    [Fact]
    public async Task StartAsync_NamedRegistration_NamesItsSection()
    {
        HostApplicationBuilder builder = ConfiguredHost.Create(new()
        {
            ["CloudCredentials:Type"] = "access_key",
            ["CloudCredentials:AccessKeyId"] = "LTAIok",
            ["CloudCredentials:AccessKeySecret"] = Secret,
            ["CloudCredentials:billing:Type"] = "ram_role_arn",
            ["CloudCredentials:billing:AccessKeyId"] = "LTAIbilling",
            ["CloudCredentials:billing:AccessKeySecret"] = Secret,
            ["CloudCredentials:billing:Timeout"] = "abc",
        });
        builder.Services.AddCloudCredentials(builder.Configuration);
        builder.Services.AddCloudCredentials("billing", builder.Configuration);

        OptionsValidationException ex = await StartBuilderFailsAsync(builder);

        ex.OptionsName.Should().Be("billing");
        ex.Failures.Should().BeEquivalentTo(
            "CloudCredentials:billing:Timeout is not valid: expected a whole number of milliseconds",
            "CloudCredentials:billing:RoleArn is required for Type 'ram_role_arn'; set it in configuration or the ALIBABA_CLOUD_ROLE_ARN environment variable");
    }

    [Fact]
    public async Task StartAsync_SectionOverload_NamesTheSectionPath()
    {
        HostApplicationBuilder builder = ConfiguredHost.Create(new() { ["Apps:Main:Credentials:Type"] = "sts", ["Apps:Main:Credentials:AccessKeySecret"] = Secret });
        builder.Services.AddCloudCredentials(builder.Configuration.GetSection("Apps:Main:Credentials"));

        OptionsValidationException ex = await StartBuilderFailsAsync(builder);

        ex.Message.Should().Contain("Apps:Main:Credentials:AccessKeyId is required for Type 'sts'")
            .And.Contain("Apps:Main:Credentials:SecurityToken is required for Type 'sts'");
    }

    [Fact]
    public async Task StartAsync_ValidSettings_StartsAndServes()
    {
        await using StartedHost started = await StartAsync(new() { ["Type"] = "sts", ["AccessKeyId"] = "STS.ok", ["AccessKeySecret"] = Secret, ["SecurityToken"] = Token });

        (await started.Host.Services.GetRequiredService<ICredentialSource>().GetCredentialAsync()).SecurityToken.Should().Be(Token);
    }

    private static Dictionary<string, string?> RamRole(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Type"] = "ram_role_arn",
            ["AccessKeyId"] = "LTAIrole",
            ["AccessKeySecret"] = Secret,
            ["SecurityToken"] = Token,
            ["RoleArn"] = "acs:ram::1:role/r",
        };
        foreach ((string key, string value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static Task<OptionsValidationException> StartFailsAsync(Dictionary<string, string?> cloudCredentials)
        => StartBuilderFailsAsync(ConfiguredHost.Builder(cloudCredentials));

    private static Task<OptionsValidationException> StartBuilderFailsAsync(HostApplicationBuilder builder)
        => ConfiguredHost.StartFailsAsync(builder, Secret, Token);

    private static async Task<StartedHost> StartAsync(Dictionary<string, string?> cloudCredentials)
    {
        IHost host = ConfiguredHost.Builder(cloudCredentials).Build();
        await host.StartAsync();
        return new StartedHost(host);
    }

    /// <summary>A started host, stopped and disposed at the end of the test.</summary>
    private sealed class StartedHost(IHost host) : IAsyncDisposable
    {
        public IHost Host { get; } = host;

        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync();
            Host.Dispose();
        }
    }
}
