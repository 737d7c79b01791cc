using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Tests.Integration;

/// <summary>The default chain (no Type) through AddCloudCredentials, against the emulator where a provider is remote.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class DefaultChainEndToEndTests : IDisposable
{
    private const string EnvSecret = "chain-env-secret-Hh42";

    private readonly EnvironmentScope _env = new();
    private readonly SessionTempDirectory _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        _env.Dispose();
    }

    [Fact]
    public async Task NoType_EnvironmentAccessKey_IsDefaultEnv()
    {
        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIfromEnv").Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", EnvSecret);
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Unrelated"] = "x" }).Build();
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, _) => services.AddCloudCredentials(config));
        h.Secrets.Add(EnvSecret);

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/env");
        credential.Type.Should().Be("access_key");
        credential.AccessKeyId.Should().Be("LTAIfromEnv");
        credential.AccessKeySecret.Should().Be(EnvSecret);
        (await h.GetAsync()).ProviderName.Should().Be("default/env", "the full nested name on every call");
    }

    [Fact]
    public async Task NoType_MetadataEndpointAndEcsEnabled_ChainUsesEmulatorMetadata()
    {
        _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null);
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, emulator) =>
            services.AddCloudCredentials(o => o.MetadataEndpoint = emulator.BaseAddress.ToString()));

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/ecs_ram_role");
        credential.Type.Should().Be("ecs_ram_role");
        h.Emulator.Stats.MetadataCredentialsGets.Should().Be(1);
        h.Emulator.Stats.TokenPuts.Should().Be(1);
    }

    [Fact]
    public async Task NoType_OidcEnvironmentAndStsEndpoint_ChainUsesEmulatorSts()
    {
        string tokenFile = _dir.Write("token", "chain-oidc-token-Ty07");
        _env.Set("ALIBABA_CLOUD_ROLE_ARN", EmulatorFixture.RoleArn)
            .Set("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", EmulatorFixture.OidcProviderArn)
            .Set("ALIBABA_CLOUD_OIDC_TOKEN_FILE", tokenFile)
            .Set("ALIBABA_CLOUD_ROLE_SESSION_NAME", "from-env-session");
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, emulator) =>
            services.AddCloudCredentials(o => o.StsEndpoint = emulator.BaseAddress.ToString()));
        h.Secrets.Add("chain-oidc-token-Ty07");

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/oidc_role_arn");
        credential.Type.Should().Be("oidc_role_arn");
        h.Emulator.Stats.LastStsAction.Should().Be("AssumeRoleWithOIDC");
        h.Emulator.Stats.LastStsParameters.Should().Contain("OIDCToken", "chain-oidc-token-Ty07")
            .And.Contain("RoleArn", EmulatorFixture.RoleArn)
            .And.Contain("RoleSessionName", "from-env-session");
    }

    [Fact]
    public async Task NoType_CredentialsUriEnvironment_IsDefaultCredentialUri()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, emulator) =>
        {
            _env.Set("ALIBABA_CLOUD_CREDENTIALS_URI", emulator.CredentialsUri.ToString());
            services.AddCloudCredentials(_ => { });
        });

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/credential_uri");
        credential.Type.Should().Be("credentials_uri");
        h.Emulator.Stats.CredentialsUriGets.Should().Be(1);
    }

    [Fact]
    public async Task NoType_PlainHttpCredentialsUriToPublicHost_ChainDeclinesItWithReason()
    {
        _env.Set("ALIBABA_CLOUD_CREDENTIALS_URI", "http://example.com/creds");
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, _) => services.AddCloudCredentials(_ => { }));

        CredentialUnavailableException ex = await h.GetFailsAsync();

        ex.Message.Should().Contain("credential_uri: the credentials URI http://example.com/creds uses plain http to example.com");
    }

    [Fact]
    public async Task NoType_NothingConfigured_ListsEveryProviderThenRewalksOnceEnvironmentIsSet()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, _) => services.AddCloudCredentials(_ => { }));
        h.Secrets.Add(EnvSecret);

        CredentialUnavailableException ex = await h.GetFailsAsync();

        ex.ProviderName.Should().Be("default");
        ex.Failures.Select(f => f.ProviderName).Should().Equal("env", "cli_profile", "profile", "skipped");
        ex.Message.Should().StartWith("Unable to get a credential from any provider of the default chain: ")
            .And.Contain("env: ALIBABA_CLOUD_ACCESS_KEY_ID is not set")
            .And.Contain("cli_profile: ").And.Contain(Path.Combine(_env.Home, ".aliyun", "config.json")).And.Contain("not found")
            .And.Contain("profile: no credentials file at ")
            .And.Contain("oidc_role_arn (needs ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE)")
            .And.Contain("ecs_ram_role (ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)")
            .And.Contain("credential_uri (ALIBABA_CLOUD_CREDENTIALS_URI is not set)");

        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIlater").Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", EnvSecret);
        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/env");
        credential.AccessKeyId.Should().Be("LTAIlater");
    }
}
