using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Static;
using CloudCredentials.Credentials;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.DefaultChain;

[Collection(EnvironmentCollection.Name)]
public sealed class IniProfileProviderTests : IDisposable
{
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    private static ICredentialProvider Build(CredentialSpec spec) => spec switch
    {
        AccessKeySpec or StsTokenSpec => TestBuildContext.Build(spec),
        _ => throw new CredentialUnavailableException("test", $"built {spec.GetType().Name}", null),
    };

    private static async Task<CredentialUnavailableException> FailsAsync(ICredentialProvider provider)
    {
        Func<Task> act = async () => await provider.FetchAsync(CancellationToken.None);
        return (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
    }

    [Fact]
    public async Task FetchAsync_DefaultSectionInCredentialsFile_ReturnsAccessKey()
    {
        _env.WriteHomeFile(".alibabacloud/credentials", "# comment\n[default]\ntype = access_key\naccess_key_id = id-default\naccess_key_secret = s\n; other\n[other]\ntype=access_key\naccess_key_id=id-other\naccess_key_secret=s\n");
        CloudCredential c = await new IniProfileProvider(new CloudCredentialsOptions(), null, Build).FetchAsync(default);
        c.AccessKeyId.Should().Be("id-default");
        c.ProviderName.Should().Be("profile/static_ak");
    }

    [Fact]
    public async Task FetchAsync_SectionFromEnvironment_AndOption()
    {
        _env.WriteHomeFile(".alibabacloud/credentials", "[default]\ntype = access_key\naccess_key_id = a\naccess_key_secret = s\n[dev]\ntype = access_key\naccess_key_id = b\naccess_key_secret = s\n");
        _env.Set("ALIBABA_CLOUD_PROFILE", "dev");
        (await new IniProfileProvider(new CloudCredentialsOptions(), null, Build).FetchAsync(default)).AccessKeyId.Should().Be("b");
        (await new IniProfileProvider(new CloudCredentialsOptions(), "default", Build).FetchAsync(default)).AccessKeyId.Should().Be("a");
    }

    [Fact]
    public async Task FetchAsync_PathOrder_EnvThenCredentialsThenIni()
    {
        _env.WriteHomeFile(".alibabacloud/credentials.ini", "[default]\ntype = access_key\naccess_key_id = from-ini\naccess_key_secret = s\n");
        (await new IniProfileProvider(new CloudCredentialsOptions(), null, Build).FetchAsync(default)).AccessKeyId.Should().Be("from-ini");

        _env.WriteHomeFile(".alibabacloud/credentials", "[default]\ntype = access_key\naccess_key_id = from-credentials\naccess_key_secret = s\n");
        (await new IniProfileProvider(new CloudCredentialsOptions(), null, Build).FetchAsync(default)).AccessKeyId.Should().Be("from-credentials");

        string custom = _env.WriteHomeFile("custom.ini", "[default]\ntype = access_key\naccess_key_id = from-env\naccess_key_secret = s\n");
        _env.Set("ALIBABA_CLOUD_CREDENTIALS_FILE", custom);
        (await new IniProfileProvider(new CloudCredentialsOptions(), null, Build).FetchAsync(default)).AccessKeyId.Should().Be("from-env");
    }

    [Fact]
    public async Task FetchAsync_NoFile_SaysWhereItLooked()
    {
        var ex = await FailsAsync(new IniProfileProvider(new CloudCredentialsOptions(), null, Build));
        ex.Message.Should().StartWith("profile: no credentials file at ").And.Contain(".alibabacloud");
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("[default\ntype=access_key", "missing ']'")]
    [InlineData("type=access_key\n", "before any [section]")]
    [InlineData("[other]\ntype=access_key\n", "section [default] not found")]
    [InlineData("[default]\naccess_key_id=x\n", "has no 'type'")]
    [InlineData("[default]\ntype=access_key\naccess_key_id=x\n", "has no 'access_key_secret'")]
    [InlineData("[default]\ntype=rsa_key_pair\npublic_key_id=x\n", "deprecated")]
    [InlineData("[default]\ntype=magic\n", "unsupported type 'magic'")]
    [InlineData("[default]\ntype=ram_role_arn\naccess_key_id=x\naccess_key_secret=y\nrole_session_name=s\n", "has no 'role_arn'")]
    [InlineData("[default]\ntype=ram_role_arn\naccess_key_id=x\naccess_key_secret=y\nrole_arn=r\n", "has no 'role_session_name'")]
    [InlineData("[default]\ntype=oidc_role_arn\nrole_arn=x\n", "has no 'oidc_provider_arn'")]
    public async Task FetchAsync_BadFile_ExplainsProblem(string content, string expected)
    {
        string path = _env.WriteHomeFile(".alibabacloud/credentials", content);
        var ex = await FailsAsync(new IniProfileProvider(new CloudCredentialsOptions(), null, Build));
        ex.Message.Should().Contain(expected);
        if (content.Length > 0)
        {
            ex.Message.Should().Contain(path);
        }
    }

    [Fact]
    public void ToSpec_RemoteTypes_Parse()
    {
        var file = IniFile.Parse("/c", "[r]\ntype=ram_role_arn\naccess_key_id=i\naccess_key_secret=s\nrole_arn=arn\nrole_session_name=sn\npolicy=p\n[o]\ntype=oidc_role_arn\nrole_arn=arn\noidc_provider_arn=pa\noidc_token_file_path=/t\n[e]\ntype=ecs_ram_role\nrole_name=web\n");
        IniProfileReader.ToSpec(file, "r", new CloudCredentialsOptions()).Should().BeOfType<RamRoleArnSpec>().Which.Session.RoleSessionName.Should().Be("sn");
        IniProfileReader.ToSpec(file, "o", new CloudCredentialsOptions()).Should().BeOfType<OidcRoleArnSpec>().Which.OidcTokenFilePath.Should().Be("/t");
        _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "false");
        IniProfileReader.ToSpec(file, "e", new CloudCredentialsOptions()).Should().Be(new EcsRamRoleSpec("web", false, new Uri(EcsRamRoleSpec.DefaultMetadataEndpoint)));
    }
}
