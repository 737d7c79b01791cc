using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>
/// Issue 10 items 1–4: configuration that used to be ignored or to fail only at first use (a misspelt registration
/// name, unknown keys, out-of-range timeouts, a section given as a string, a broken config.json named explicitly)
/// fails a real host's StartAsync naming what is wrong; the environment's STS region matters only where it is used.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ConfigurationSurfaceTests : IDisposable
{
    private const string Secret = "surface-secret-Kx81pQ";

    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    // Item 1: a named registration whose section does not exist.

    [Fact]
    public async Task StartAsync_NamedRegistrationWithMisspeltSection_FailsNamingItAndListingSections()
    {
        HostApplicationBuilder builder = ConfiguredHost.Create(new()
        {
            ["CloudCredentials:billing:Type"] = "access_key",
            ["CloudCredentials:billing:AccessKeyId"] = "LTAIbilling",
            ["CloudCredentials:billing:AccessKeySecret"] = Secret,
            ["CloudCredentials:storage:Type"] = "access_key",
        });
        builder.Services.AddCloudCredentials("biling", builder.Configuration);

        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(builder, Secret);

        ex.OptionsName.Should().Be("biling");
        ex.Failures.Should().ContainSingle().Which.Should().Contain("CloudCredentials:biling does not exist")
            .And.Contain("billing, storage");
    }

    [Fact]
    public async Task StartAsync_NamedRegistrationFromMissingSectionObject_Fails()
    {
        HostApplicationBuilder builder = ConfiguredHost.Create([]);
        builder.Services.AddCloudCredentials("billing", builder.Configuration.GetSection("Apps:Billing"));

        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(builder, Secret);

        ex.Failures.Should().ContainSingle().Which.Should().Contain("Apps:Billing does not exist");
    }

    [Fact]
    public async Task StartAsync_NamedRegistrationInCodeWithoutSection_Starts()
    {
        HostApplicationBuilder builder = ConfiguredHost.Create([]);
        builder.Services.AddCloudCredentials("billing", o => (o.Type, o.AccessKeyId, o.AccessKeySecret) = ("access_key", "LTAIcode", Secret));
        builder.Services.AddCloudCredentials("billing", builder.Configuration);

        await StartsAsync(builder);
    }

    [Fact]
    public async Task StartAsync_DefaultRegistrationWithoutSection_StartsWithTheDefaultChain()
    {
        HostApplicationBuilder builder = ConfiguredHost.Create([]);
        builder.Services.AddCloudCredentials(builder.Configuration);

        await StartsAsync(builder);
    }

    // Item 2: unknown keys, and registrations named like option keys.

    [Fact]
    public async Task StartAsync_MisspeltKey_FailsWithDidYouMean()
    {
        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(ConfiguredHost.Builder(new()
        {
            ["Type"] = "ram_role_arn", ["AccessKeyId"] = "LTAIrole", ["AccessKeySecret"] = Secret, ["RolArn"] = "acs:ram::1:role/" + Secret,
        }), Secret);

        ex.Failures.Should().Contain(f => f.Contains("unknown key 'RolArn' (did you mean 'RoleArn'?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_MisspeltRefreshKey_FailsWithDidYouMean()
    {
        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(ConfiguredHost.Builder(new() { ["Refresh:RefreshBefor"] = "00:10:00" }), Secret);

        ex.Failures.Should().ContainSingle().Which.Should().Contain("CloudCredentials:Refresh: unknown key 'RefreshBefor' (did you mean 'RefreshBefore'?)");
    }

    [Fact]
    public async Task StartAsync_KeysInAnotherCase_Start()
    {
        await StartsAsync(ConfiguredHost.Builder(new() { ["type"] = "access_key", ["ACCESSKEYID"] = "LTAIcase", ["accessKeySecret"] = Secret, ["refresh:clockskew"] = "00:00:05" }));
    }

    [Fact]
    public async Task StartAsync_RootWithNamedSectionsAndScalarUnknownKey_FailsOnlyForTheScalar()
    {
        HostApplicationBuilder builder = ConfiguredHost.Create(new()
        {
            ["CloudCredentials:Type"] = "access_key",
            ["CloudCredentials:AccessKeyId"] = "LTAIroot",
            ["CloudCredentials:AccessKeySecret"] = Secret,
            ["CloudCredentials:Flavour"] = "blue",
            ["CloudCredentials:billing:Type"] = "access_key",
            ["CloudCredentials:billing:AccessKeyId"] = "LTAIbilling",
            ["CloudCredentials:billing:AccessKeySecret"] = Secret,
        });
        builder.Services.AddCloudCredentials(builder.Configuration);
        builder.Services.AddCloudCredentials("billing", builder.Configuration);

        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(builder, Secret);

        ex.OptionsName.Should().Be(Options.DefaultName);
        ex.Failures.Should().ContainSingle().Which.Should().Be("CloudCredentials: unknown key 'Flavour'");
    }

    [Fact]
    public async Task StartAsync_SectionPassedAsIsWithAChildSection_FailsAsUnknownKey()
    {
        HostApplicationBuilder builder = ConfiguredHost.Create(new()
        {
            ["Apps:Audit:Type"] = "access_key",
            ["Apps:Audit:AccessKeyId"] = "LTAIaudit",
            ["Apps:Audit:AccessKeySecret"] = Secret,
            ["Apps:Audit:audit:AccessKeyId"] = "LTAIwrong",
        });
        builder.Services.AddCloudCredentials("audit", builder.Configuration.GetSection("Apps:Audit"));

        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(builder, Secret);

        ex.Failures.Should().ContainSingle().Which.Should().Be("Apps:Audit: unknown key 'audit'");
    }

    [Fact]
    public async Task StartAsync_RootWithNamedSections_Starts()
    {
        HostApplicationBuilder builder = ConfiguredHost.Create(new()
        {
            ["CloudCredentials:Type"] = "access_key",
            ["CloudCredentials:AccessKeyId"] = "LTAIroot",
            ["CloudCredentials:AccessKeySecret"] = Secret,
            ["CloudCredentials:billing:Type"] = "access_key",
            ["CloudCredentials:billing:AccessKeyId"] = "LTAIbilling",
            ["CloudCredentials:billing:AccessKeySecret"] = Secret,
        });
        builder.Services.AddCloudCredentials(builder.Configuration);
        builder.Services.AddCloudCredentials("billing", builder.Configuration);

        await StartsAsync(builder);
    }

    [Theory]
    [InlineData("Profile")]
    [InlineData("refresh")]
    public async Task StartAsync_RegistrationNamedLikeAnOptionKey_FailsNamingTheClash(string name)
    {
        HostApplicationBuilder builder = ConfiguredHost.Create(new()
        {
            [$"CloudCredentials:{name}:Type"] = "access_key",
            [$"CloudCredentials:{name}:AccessKeyId"] = "LTAIclash",
            [$"CloudCredentials:{name}:AccessKeySecret"] = Secret,
        });
        builder.Services.AddCloudCredentials(name, builder.Configuration);

        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(builder, Secret);

        ex.Failures.Should().Contain(f => f.Contains($"registration name '{name}' clashes with the option key", StringComparison.Ordinal));
    }

    // Item 3: bounds at start, one unit per message, a scalar where a section belongs.

    [Theory]
    [InlineData("100000000")]
    [InlineData("20000000")]
    public async Task StartAsync_TimeoutAboveTheLimit_FailsNamingKeyAndMilliseconds(string value)
    {
        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(ConfiguredHost.Builder(new() { ["Timeout"] = value }), Secret);

        ex.Failures.Should().ContainSingle().Which.Should().StartWith($"CloudCredentials:Timeout is {value};")
            .And.Contain("milliseconds").And.Contain("at most 17280000").And.NotContain("seconds or");
    }

    [Fact]
    public async Task StartAsync_TimeoutAtTheLimit_StartsAndBuildsTheClients()
    {
        HostApplicationBuilder builder = ConfiguredHost.Builder(new() { ["Timeout"] = "17280000", ["ConnectTimeout"] = "17280000" });
        using IHost host = builder.Build();
        await host.StartAsync();
        foreach (string client in new[] { CloudCredentialsHttpClients.Metadata, CloudCredentialsHttpClients.MetadataProbe, CloudCredentialsHttpClients.Sts })
        {
            HttpClientSettings settings = HttpClientSettings.FromOptions(CloudCredentialsHttpClients.DefaultSettings(client), 17280000, 17280000);
            using HttpClient http = CloudCredentialsHttpClients.CreateClient(host.Services, client, settings);
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/");
            Func<Task> send = () => http.SendAsync(request);
            (await send.Should().ThrowAsync<Exception>()).Which.Should().NotBeAssignableTo<System.ComponentModel.DataAnnotations.ValidationException>();
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_ConnectTimeoutAboveTheLimit_Fails()
    {
        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(ConfiguredHost.Builder(new() { ["ConnectTimeout"] = "2000000000" }), Secret);

        ex.Failures.Should().ContainSingle().Which.Should().StartWith("CloudCredentials:ConnectTimeout is 2000000000;").And.Contain("milliseconds");
    }

    [Theory]
    [InlineData("Timeout", "milliseconds")]
    [InlineData("ConnectTimeout", "milliseconds")]
    [InlineData("RoleSessionExpiration", "seconds")]
    public async Task StartAsync_UnconvertibleNumber_NamesOneUnit(string key, string unit)
    {
        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(ConfiguredHost.Builder(new() { [key] = "lots" }), Secret);

        ex.Failures.Should().ContainSingle().Which.Should().Be($"CloudCredentials:{key} is not valid: expected a whole number of {unit}");
    }

    [Theory]
    [InlineData("Refresh")]
    [InlineData("AllowedHttpHosts")]
    public async Task StartAsync_ScalarWhereASectionBelongs_FailsNamingTheKey(string key)
    {
        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(ConfiguredHost.Builder(new() { [key] = "a string" }), Secret);

        ex.Failures.Should().ContainSingle().Which.Should().StartWith($"CloudCredentials:{key} is a single value");
    }

    [Fact]
    public async Task StartAsync_FetchTimeoutBeyondWhatATimerTakes_Fails()
    {
        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(ConfiguredHost.Builder(new() { ["Refresh:FetchTimeout"] = "60.00:00:00" }), Secret);

        ex.Failures.Should().ContainSingle().Which.Should().StartWith("CloudCredentials:Refresh:FetchTimeout must be at most");
    }

    // Item 3b: the section as a string; a bad environment STS region matters only to the chain's OIDC member.

    [Fact]
    public async Task StartAsync_SectionAsAString_FailsNamingTheSection()
    {
        HostApplicationBuilder builder = ConfiguredHost.Create(new() { ["CloudCredentials"] = "access_key" });
        builder.Services.AddCloudCredentials(builder.Configuration);

        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(builder, Secret);

        ex.Failures.Should().ContainSingle().Which.Should().Contain("CloudCredentials is a single value, not a section")
            .And.Contain("CloudCredentials:Type");
    }

    [Fact]
    public async Task DefaultChain_BadEnvironmentStsRegionWithOidcVariables_StartsAndServesTheEnvironmentKeys()
    {
        SetOidcVariables();
        _env.Set("ALIBABA_CLOUD_STS_REGION", "Not_A_Region");
        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv");
        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", Secret);
        HostApplicationBuilder builder = ConfiguredHost.Create([]);
        builder.Services.AddCloudCredentials(builder.Configuration);
        using IHost host = builder.Build();

        await host.StartAsync();

        (await host.Services.GetRequiredService<ICredentialSource>().GetCredentialAsync()).AccessKeyId.Should().Be("LTAIenv");
        await host.StopAsync();
    }

    [Fact]
    public async Task DefaultChain_BadEnvironmentStsRegionWithOidcVariables_ChainErrorNamesTheVariable()
    {
        SetOidcVariables();
        _env.Set("ALIBABA_CLOUD_STS_REGION", "Not_A_Region");
        HostApplicationBuilder builder = ConfiguredHost.Create([]);
        builder.Services.AddCloudCredentials(builder.Configuration);
        using IHost host = builder.Build();
        await host.StartAsync();

        Func<Task> act = async () => await host.Services.GetRequiredService<ICredentialSource>().GetCredentialAsync();

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("ALIBABA_CLOUD_STS_REGION").And.NotContain("StsEndpoint");
        await host.StopAsync();
    }

    // Item 4: a config.json named explicitly that is not JSON fails at start.

    [Fact]
    public async Task StartAsync_ConfigFileNamedInConfigurationNotJson_FailsNamingFileAndLine()
    {
        string path = _env.WriteHomeFile("cli/config.json", "{\n  \"current\": \"default\",\n  \"profiles\": [ oops\n");

        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(ConfiguredHost.Builder(new() { ["ConfigFile"] = path }), Secret);

        ex.Failures.Should().ContainSingle().Which.Should().Contain(path).And.Contain("line 3");
    }

    [Fact]
    public async Task StartAsync_ProfileNamedByEnvironmentAndDefaultConfigNotJson_Fails()
    {
        string path = _env.WriteHomeFile(".aliyun/config.json", "not json");
        _env.Set("ALIBABA_CLOUD_PROFILE", "work");
        HostApplicationBuilder builder = ConfiguredHost.Create([]);
        builder.Services.AddCloudCredentials(builder.Configuration);

        OptionsValidationException ex = await ConfiguredHost.StartFailsAsync(builder, Secret);

        ex.Failures.Should().ContainSingle().Which.Should().Contain(path).And.Contain("line 1");
    }

    [Fact]
    public async Task StartAsync_DefaultConfigNotJsonAndNothingNamed_Starts()
    {
        _env.WriteHomeFile(".aliyun/config.json", "not json");
        HostApplicationBuilder builder = ConfiguredHost.Create([]);
        builder.Services.AddCloudCredentials(builder.Configuration);

        await StartsAsync(builder);
    }

    private void SetOidcVariables()
    {
        _env.Set("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/oidc");
        _env.Set("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p");
        _env.Set("ALIBABA_CLOUD_OIDC_TOKEN_FILE", _env.WriteHomeFile("oidc/token", "header.payload.signature"));
    }

    private static async Task StartsAsync(HostApplicationBuilder builder)
    {
        using IHost host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
    }
}
