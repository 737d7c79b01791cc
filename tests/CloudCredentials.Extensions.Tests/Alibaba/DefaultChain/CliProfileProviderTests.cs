using CloudCredentials.Alibaba.CloudSso;
using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.External;
using CloudCredentials.Alibaba.OAuth;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Static;
using CloudCredentials.Credentials;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.DefaultChain;

[Collection(EnvironmentCollection.Name)]
public sealed class CliProfileProviderTests : IDisposable
{
    private const string Secret = "cli-secret-value-123";
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    private static readonly CloudCredentialsOptions Options = new();

    private static ICredentialProvider BuildStatic(CredentialSpec spec) => TestBuildContext.Build(spec);

    private string WriteConfig(string json) => _env.WriteHomeFile(".aliyun/config.json", json);

    private static async Task<CredentialUnavailableException> FailsAsync(ICredentialProvider provider)
    {
        Func<Task> act = async () => await provider.FetchAsync(CancellationToken.None);
        return (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
    }

    [Fact]
    public async Task FetchAsync_AkProfileFromCurrent_ReturnsNestedName()
    {
        WriteConfig($$"""{"current":"dev","profiles":[{"name":"dev","mode":"AK","access_key_id":"LTAIdev","access_key_secret":"{{Secret}}"}]}""");
        var provider = new CliProfileProvider(new CloudCredentialsOptions(), null, null, BuildStatic);

        CloudCredential c = await provider.FetchAsync(CancellationToken.None);

        c.AccessKeyId.Should().Be("LTAIdev");
        c.AccessKeySecret.Should().Be(Secret);
        c.Type.Should().Be("access_key");
        c.ProviderName.Should().Be("cli_profile/static_ak");
    }

    [Fact]
    public async Task FetchAsync_StsTokenProfile_ReturnsSts()
    {
        WriteConfig("""{"current":"s","profiles":[{"name":"s","mode":"StsToken","access_key_id":"STS.a","access_key_secret":"b","sts_token":"tok"}]}""");
        CloudCredential c = await new CliProfileProvider(new CloudCredentialsOptions(), null, null, BuildStatic).FetchAsync(CancellationToken.None);
        c.Type.Should().Be("sts");
        c.SecurityToken.Should().Be("tok");
        c.ProviderName.Should().Be("cli_profile/static_sts");
    }

    [Fact]
    public async Task FetchAsync_ProfileSelection_OptionBeatsEnvBeatsCurrent()
    {
        WriteConfig("""
            {"current":"a","profiles":[
              {"name":"a","mode":"AK","access_key_id":"id-a","access_key_secret":"s"},
              {"name":"b","mode":"AK","access_key_id":"id-b","access_key_secret":"s"},
              {"name":"c","mode":"AK","access_key_id":"id-c","access_key_secret":"s"}]}
            """);
        (await new CliProfileProvider(new CloudCredentialsOptions(), null, null, BuildStatic).FetchAsync(default)).AccessKeyId.Should().Be("id-a");
        _env.Set("ALIBABA_CLOUD_PROFILE", "b");
        (await new CliProfileProvider(new CloudCredentialsOptions(), null, null, BuildStatic).FetchAsync(default)).AccessKeyId.Should().Be("id-b");
        (await new CliProfileProvider(new CloudCredentialsOptions(), null, "c", BuildStatic).FetchAsync(default)).AccessKeyId.Should().Be("id-c");
    }

    [Fact]
    public async Task FetchAsync_ConfigFileFromEnvironmentAndOption_AreHonoured()
    {
        string other = Path.Combine(_env.Home, "elsewhere.json");
        File.WriteAllText(other, """{"current":"x","profiles":[{"name":"x","mode":"AK","access_key_id":"id-env","access_key_secret":"s"}]}""");
        _env.Set("ALIBABA_CLOUD_CONFIG_FILE", other);
        (await new CliProfileProvider(new CloudCredentialsOptions(), null, null, BuildStatic).FetchAsync(default)).AccessKeyId.Should().Be("id-env");

        string explicitPath = Path.Combine(_env.Home, "explicit.json");
        File.WriteAllText(explicitPath, """{"current":"x","profiles":[{"name":"x","mode":"AK","access_key_id":"id-opt","access_key_secret":"s"}]}""");
        (await new CliProfileProvider(new CloudCredentialsOptions(), explicitPath, null, BuildStatic).FetchAsync(default)).AccessKeyId.Should().Be("id-opt");
    }

    [Fact]
    public async Task FetchAsync_MissingFile_NamesFile()
    {
        var ex = await FailsAsync(new CliProfileProvider(new CloudCredentialsOptions(), null, null, BuildStatic));
        ex.Message.Should().StartWith("cli_profile: ").And.Contain(Path.Combine(_env.Home, ".aliyun", "config.json")).And.Contain("not found");
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   \n", "is empty")]
    [InlineData("{not json", "is not valid JSON")]
    [InlineData("[1,2]", "must contain a JSON object")]
    [InlineData("""{"current":"a"}""", "has no profiles")]
    [InlineData("""{"current":"a","profiles":[]}""", "has no profiles")]
    [InlineData("""{"current":"zzz","profiles":[{"name":"a","mode":"AK","access_key_id":"x","access_key_secret":"y"}]}""", "profile 'zzz' not found")]
    [InlineData("""{"current":"a","profiles":[{"name":"a","mode":"Magic"}]}""", "unsupported mode 'Magic'")]
    [InlineData("""{"current":"a","profiles":[{"name":"a"}]}""", "has no 'mode'")]
    [InlineData("""{"current":"a","profiles":[{"name":"a","mode":"AK","access_key_id":"x"}]}""", "has no 'access_key_secret'")]
    [InlineData("""{"current":"a","profiles":[{"name":"a","mode":"StsToken","access_key_id":"x","access_key_secret":"y"}]}""", "has no 'sts_token'")]
    [InlineData("""{"current":"a","profiles":[{"name":"a","mode":"RamRoleArn","access_key_id":"x","access_key_secret":"y"}]}""", "has no 'ram_role_arn'")]
    [InlineData("""{"current":"a","profiles":[{"name":"a","mode":"RamRoleArn","access_key_id":"x","access_key_secret":"y","ram_role_arn":"r","expired_seconds":100}]}""", "at least 900")]
    [InlineData("""{"current":"a","profiles":[{"name":"a","mode":"OAuth","oauth_site_type":"EU"}]}""", "invalid OAuth site type 'EU'")]
    [InlineData("""{"profiles":[{"name":"a","mode":"AK","access_key_id":"x","access_key_secret":"y"}]}""", "no profile selected")]
    public async Task FetchAsync_BadConfig_ExplainsProblemAndNamesFile(string json, string expected)
    {
        string path = WriteConfig(json);
        var ex = await FailsAsync(new CliProfileProvider(new CloudCredentialsOptions(), null, null, BuildStatic));
        ex.Message.Should().Contain(path).And.Contain(expected);
        ex.ProviderName.Should().Be("cli_profile");
    }

    [Fact]
    public async Task FetchAsync_ChainableCycle_IsDetectedAndReported()
    {
        WriteConfig("""
            {"current":"a","profiles":[
              {"name":"a","mode":"ChainableRamRoleArn","source_profile":"b","ram_role_arn":"acs:ram::1:role/a"},
              {"name":"b","mode":"ChainableRamRoleArn","source_profile":"a","ram_role_arn":"acs:ram::1:role/b"}]}
            """);
        var ex = await FailsAsync(new CliProfileProvider(new CloudCredentialsOptions(), null, null, BuildStatic));
        ex.Message.Should().Contain("cycle").And.Contain("a -> b -> a");
    }

    [Fact]
    public async Task FetchAsync_ChainableSelfReference_IsDetected()
    {
        WriteConfig("""{"current":"a","profiles":[{"name":"a","mode":"ChainableRamRoleArn","source_profile":"a","ram_role_arn":"r"}]}""");
        var ex = await FailsAsync(new CliProfileProvider(new CloudCredentialsOptions(), null, null, BuildStatic));
        ex.Message.Should().Contain("a -> a");
    }

    [Fact]
    public void ToSpec_ChainableDepthThree_BuildsNestedSpecs()
    {
        var file = CliConfigFile.Parse("/x/config.json", """
            {"current":"c","profiles":[
              {"name":"root","mode":"AK","access_key_id":"id","access_key_secret":"s"},
              {"name":"a","mode":"ChainableRamRoleArn","source_profile":"root","ram_role_arn":"role-a","sts_region":"cn-shanghai"},
              {"name":"b","mode":"ChainableRamRoleArn","source_profile":"a","ram_role_arn":"role-b","expired_seconds":1800},
              {"name":"c","mode":"ChainableRamRoleArn","source_profile":"b","ram_role_arn":"role-c","sts_endpoint":"http://127.0.0.1:1","policy":"p","external_id":"e"}]}
            """, "cli_profile");

        var c = CliProfileReader.ToSpec(file, "c", Options).Should().BeOfType<RamRoleArnSpec>().Subject;
        c.Session.RoleArn.Should().Be("role-c");
        c.Session.StsEndpoint.Should().Be(new Uri("http://127.0.0.1:1"));
        c.Session.Policy.Should().Be("p");
        c.ExternalId.Should().Be("e");
        var b = c.Source.Should().BeOfType<RamRoleArnSpec>().Subject;
        b.Session.DurationSeconds.Should().Be(1800);
        var a = b.Source.Should().BeOfType<RamRoleArnSpec>().Subject;
        a.Session.StsEndpoint.Should().Be(new Uri("https://sts.cn-shanghai.aliyuncs.com"), "the profile's sts_region picks the regional endpoint");
        a.Source.Should().Be(new AccessKeySpec("id", "s"));
    }

    [Fact]
    public void ToSpec_EveryMode_Parses()
    {
        var file = CliConfigFile.Parse("/x/config.json", """
            {"profiles":[
              {"name":"ecs","mode":"EcsRamRole","ram_role_name":" role \n"},
              {"name":"oidc","mode":"OIDC","ram_role_arn":"r","oidc_provider_arn":"p","oidc_token_file":"/t","ram_session_name":"sess","enable_vpc":true,"sts_region":"cn-beijing"},
              {"name":"sso","mode":"CloudSSO","cloud_sso_sign_in_url":"https://signin","cloud_sso_account_id":"1","cloud_sso_access_config":"ac","access_token":"t","cloud_sso_access_token_expire":1900000000},
              {"name":"oauth","mode":"OAuth","oauth_site_type":"intl"},
              {"name":"ext","mode":"External","process_command":"/bin/cred --json"}]}
            """, "cli_profile");

        CliProfileReader.ToSpec(file, "ecs", Options).Should().BeOfType<DeclinedSpec>("the test environment disables IMDS")
            .Which.Reason.Should().Contain("ALIBABA_CLOUD_ECS_METADATA_DISABLED");
        _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "false");
        CliProfileReader.ToSpec(file, "ecs", Options).Should().Be(new EcsRamRoleSpec("role", false, new Uri(EcsRamRoleSpec.DefaultMetadataEndpoint)));
        var oidc = CliProfileReader.ToSpec(file, "oidc", Options).Should().BeOfType<OidcRoleArnSpec>().Subject;
        oidc.Session.StsEndpoint.Should().Be(new Uri("https://sts-vpc.cn-beijing.aliyuncs.com"), "enable_vpc with sts_region picks the VPC endpoint");
        oidc.Session.RoleSessionName.Should().Be("sess");
        CliProfileReader.ToSpec(file, "sso", Options).Should().Be(new CloudSsoSpec { SignInUrl = "https://signin", AccountId = "1", AccessConfig = "ac", AccessToken = "t", AccessTokenExpire = 1900000000, ProfileName = "sso" });
        CliProfileReader.ToSpec(file, "oauth", Options).Should().Be(new OAuthSpec { ConfigPath = "/x/config.json", ProfileName = "oauth", SiteType = "INTL" });
        CliProfileReader.ToSpec(file, "ext", Options).Should().Be(new ExternalSpec { Command = "/bin/cred --json", ConfigPath = "/x/config.json", ProfileName = "ext" });
    }

    [Fact]
    public async Task FetchAsync_InnerProviderFails_ReportedUnderCliProfileWithInnerName()
    {
        WriteConfig("""{"current":"a","profiles":[{"name":"a","mode":"AK","access_key_id":"x","access_key_secret":"y"}]}""");
        var provider = new CliProfileProvider(new CloudCredentialsOptions(), null, null, _ => new DecliningProvider("ram_role_arn", "STS answered 403 (NoPermission)"));

        var ex = await FailsAsync(provider);

        ex.ProviderName.Should().Be("cli_profile");
        ex.Message.Should().Be("cli_profile: ram_role_arn: STS answered 403 (NoPermission)");
        ex.InnerException.Should().BeOfType<CredentialUnavailableException>();
    }

    [Fact]
    public async Task FetchAsync_InnerFailsAndFileWasFixed_ReadsProfileAgainAndSucceeds()
    {
        WriteConfig("""{"current":"a","profiles":[{"name":"a","mode":"AK","access_key_id":"bad","access_key_secret":"y"}]}""");
        int builds = 0;
        var provider = new CliProfileProvider(new CloudCredentialsOptions(), null, null, spec =>
        {
            builds++;
            return spec is AccessKeySpec { AccessKeyId: "bad" }
                ? new DecliningProvider("cloud_sso", "CloudSSO access token is empty or expired, please re-login with cli")
                : TestBuildContext.Build(spec);
        });
        await FailsAsync(provider);
        await FailsAsync(provider);
        builds.Should().Be(1, "an unchanged file is not read again");

        WriteConfig("""{"current":"a","profiles":[{"name":"a","mode":"AK","access_key_id":"good-after-relogin","access_key_secret":"y"}]}""");

        (await provider.FetchAsync(default)).AccessKeyId.Should().Be("good-after-relogin");
        builds.Should().Be(2);
    }

    [Fact]
    public async Task FetchAsync_Disabled_Declines()
    {
        WriteConfig("""{"current":"a","profiles":[{"name":"a","mode":"AK","access_key_id":"x","access_key_secret":"y"}]}""");
        _env.Set("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE");
        var ex = await FailsAsync(new CliProfileProvider(new CloudCredentialsOptions(), null, null, BuildStatic));
        ex.Message.Should().Contain("ALIBABA_CLOUD_CLI_PROFILE_DISABLED");
    }

    [Fact]
    public async Task FetchAsync_Errors_NeverContainSecrets()
    {
        WriteConfig($$"""{"current":"a","profiles":[{"name":"a","mode":"StsToken","access_key_id":"x","access_key_secret":"{{Secret}}"}]}""");
        var ex = await FailsAsync(new CliProfileProvider(new CloudCredentialsOptions(), null, null, BuildStatic));
        ex.ToString().Should().NotContain(Secret);
    }
}
