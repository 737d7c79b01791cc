using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// Alibaba Cloud CLI config.json profiles found by the default chain through AddCloudCredentials, with the remote
/// modes running against the emulator (HOME is a temporary folder).
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class CliProfileEndToEndTests : IDisposable
{
    private const string ProfileSecret = "cli-profile-secret-Ws58";
    private const string ProfileToken = "cli-profile-token-Kd19";

    /// <summary>A local port nothing listens on: an endpoint that must not be used.</summary>
    private const string UnusedEndpoint = "http://127.0.0.1:1/";

    private readonly EnvironmentScope _env = new();
    private readonly SessionTempDirectory _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        _env.Dispose();
    }

    [Fact]
    public async Task AkProfile_IsDefaultCliProfileStaticAk()
    {
        WriteConfig($$"""{"current":"dev","profiles":[{"name":"dev","mode":"AK","access_key_id":"LTAIcli","access_key_secret":"{{ProfileSecret}}"}]}""");
        await using EmulatorFixture h = await StartAsync(_ => { });

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/cli_profile/static_ak");
        credential.Type.Should().Be("access_key");
        credential.AccessKeyId.Should().Be("LTAIcli");
    }

    [Fact]
    public async Task StsTokenProfile_SelectedByProfileOption_IsDefaultCliProfileStaticSts()
    {
        WriteConfig($$"""
            {"current":"dev","profiles":[
              {"name":"dev","mode":"AK","access_key_id":"LTAIcli","access_key_secret":"{{ProfileSecret}}"},
              {"name":"sts","mode":"StsToken","access_key_id":"STS.cli","access_key_secret":"{{ProfileSecret}}","sts_token":"{{ProfileToken}}"}]}
            """);
        await using EmulatorFixture h = await StartAsync(o => o.Profile = "sts");

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/cli_profile/static_sts");
        credential.Type.Should().Be("sts");
        credential.SecurityToken.Should().Be(ProfileToken);
    }

    [Fact]
    public async Task RamRoleArnProfile_ProfileStsEndpointBeatsOption()
    {
        await using EmulatorFixture h = await StartAsync(o => o.StsEndpoint = UnusedEndpoint, emulator => WriteConfig($$"""
            {"current":"role","profiles":[{"name":"role","mode":"RamRoleArn",
              "access_key_id":"{{EmulatorFixture.KeyId}}","access_key_secret":"{{EmulatorFixture.KeySecret}}",
              "ram_role_arn":"{{EmulatorFixture.RoleArn}}","ram_session_name":"cli-session","expired_seconds":900,
              "sts_endpoint":"{{emulator}}"}]}
            """));

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/cli_profile/ram_role_arn/static_ak");
        credential.Type.Should().Be("ram_role_arn");
        h.Emulator.Stats.StsAssumeRole.Should().Be(1, "the profile's own sts_endpoint wins over the StsEndpoint option");
        h.Emulator.Stats.SignatureFailures.Should().Be(0);
        h.Emulator.Stats.LastStsParameters.Should().Contain("RoleSessionName", "cli-session").And.Contain("DurationSeconds", "900");
    }

    [Fact]
    public async Task EcsRamRoleProfile_MetadataEndpointOptionPointsAtEmulator()
    {
        _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null);
        WriteConfig("""{"current":"ecs","profiles":[{"name":"ecs","mode":"EcsRamRole","ram_role_name":" app-role "}]}""");
        await using EmulatorFixture h = await StartAsync(null, metadata: true);

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/cli_profile/ecs_ram_role");
        credential.Type.Should().Be("ecs_ram_role");
        h.Emulator.Stats.MetadataCredentialsGets.Should().Be(1);
        h.Emulator.Stats.RoleListGets.Should().Be(0, "the profile names the role (trimmed)");
    }

    [Fact]
    public async Task OidcProfile_InConfigFileOption_UsesStsEndpointOption()
    {
        string tokenFile = _dir.Write("oidc-token", "cli-oidc-token-Gf64");
        string configPath = _dir.Write("elsewhere.json", $$"""
            {"current":"oidc","profiles":[{"name":"oidc","mode":"OIDC","ram_role_arn":"{{EmulatorFixture.RoleArn}}",
              "oidc_provider_arn":"{{EmulatorFixture.OidcProviderArn}}","oidc_token_file":"{{tokenFile.Replace("\\", "\\\\", StringComparison.Ordinal)}}"}]}
            """);
        await using EmulatorFixture h = await StartAsync(o => o.ConfigFile = configPath, sts: true);
        h.Secrets.Add("cli-oidc-token-Gf64");

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/cli_profile/oidc_role_arn");
        credential.Type.Should().Be("oidc_role_arn");
        h.Emulator.Stats.LastStsAction.Should().Be("AssumeRoleWithOIDC");
        h.Emulator.Stats.LastStsParameters.Should().Contain("OIDCToken", "cli-oidc-token-Gf64");
    }

    [Fact]
    public async Task ChainableRamRoleArnDepthThree_EachHopSignsWithPreviousStsCredential()
    {
        await using EmulatorFixture h = await StartAsync(o => o.StsEndpoint = UnusedEndpoint, emulator => WriteConfig($$"""
            {"current":"c","profiles":[
              {"name":"root","mode":"AK","access_key_id":"{{EmulatorFixture.KeyId}}","access_key_secret":"{{EmulatorFixture.KeySecret}}"},
              {"name":"a","mode":"ChainableRamRoleArn","source_profile":"root","ram_role_arn":"acs:ram::1:role/a","sts_endpoint":"{{emulator}}"},
              {"name":"b","mode":"ChainableRamRoleArn","source_profile":"a","ram_role_arn":"acs:ram::1:role/b","sts_endpoint":"{{emulator}}"},
              {"name":"c","mode":"ChainableRamRoleArn","source_profile":"b","ram_role_arn":"acs:ram::1:role/c","sts_endpoint":"{{emulator}}"}]}
            """));

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/cli_profile/ram_role_arn/ram_role_arn/ram_role_arn/static_ak");
        credential.Type.Should().Be("ram_role_arn");
        h.Emulator.Stats.StsAssumeRole.Should().Be(3, "one AssumeRole per hop");
        h.Emulator.Stats.SignatureFailures.Should().Be(0);
        h.Emulator.Stats.LastStsParameters.Should().Contain("RoleArn", "acs:ram::1:role/c");
        h.Emulator.Stats.LastStsQueryParameters.Should().ContainKey("SecurityToken", "the last hop signs with the STS credential of hop b");
        h.Emulator.Stats.LastStsQueryParameters["AccessKeyId"].Should().StartWith("STS.");
    }

    [UnixOnlyFact]
    public async Task ExternalProfile_ScriptOutputIsDefaultCliProfileExternal()
    {
        string script = _dir.WriteScript("creds.sh", $$"""
            echo '{"mode":"StsToken","access_key_id":"STS.external","access_key_secret":"{{ProfileSecret}}","sts_token":"{{ProfileToken}}","expiration":"2099-01-01T00:00:00Z"}'
            """);
        WriteConfig($$"""{"current":"ext","profiles":[{"name":"ext","mode":"External","process_command":"'{{script}}' --profile ext"}]}""");
        await using EmulatorFixture h = await StartAsync(_ => { });

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/cli_profile/external");
        credential.Type.Should().Be("sts");
        credential.AccessKeyId.Should().Be("STS.external");
        credential.SecurityToken.Should().Be(ProfileToken);
        credential.Expiration.Should().Be(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task CloudSsoProfile_AccessTokenExpired_SaysWhichProfileToLogInAgainWithoutCallingThePortal()
    {
        WriteConfig($$"""
            {"current":"dev","profiles":[
              {"name":"dev","mode":"AK","access_key_id":"LTAIcli","access_key_secret":"{{ProfileSecret}}"},
              {"name":"team-sso","mode":"CloudSSO","cloud_sso_sign_in_url":"{{UnusedEndpoint}}login","cloud_sso_account_id":"123",
               "cloud_sso_access_config":"ac-1","access_token":"{{ProfileToken}}","cloud_sso_access_token_expire":1}]}
            """);
        await using EmulatorFixture h = await StartAsync(o => o.Profile = "team-sso");

        Func<Task> act = () => h.GetAsync();

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("of profile 'team-sso'").And.Contain("aliyun sso login --profile team-sso").And.NotContain(ProfileToken);
    }

    private void WriteConfig(string json) => _env.WriteHomeFile(".aliyun/config.json", json);

    private async Task<EmulatorFixture> StartAsync(
        Action<CloudCredentialsOptions>? configure,
        Action<string>? writeConfig = null,
        bool metadata = false,
        bool sts = false)
    {
        EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, emulator) =>
        {
            writeConfig?.Invoke(emulator.BaseAddress.ToString());
            services.AddCloudCredentials(o =>
            {
                configure?.Invoke(o);
                if (metadata)
                {
                    o.MetadataEndpoint = emulator.BaseAddress.ToString();
                }

                if (sts)
                {
                    o.StsEndpoint = emulator.BaseAddress.ToString();
                }
            });
        });
        h.Secrets.AddRange([ProfileSecret, ProfileToken]);
        return h;
    }
}
