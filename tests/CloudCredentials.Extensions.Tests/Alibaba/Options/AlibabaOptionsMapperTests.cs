using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.Options;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Static;
using CloudCredentials.Alibaba;
using CloudCredentials.Credentials;
using CloudCredentials.DependencyInjection;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.Options;

[Collection(EnvironmentCollection.Name)]
public sealed class AlibabaOptionsMapperTests : IDisposable
{
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    private static (CredentialSpec? Spec, List<string> Errors) Map(CloudCredentialsOptions o)
    {
        var errors = new List<string>();
        return (AlibabaOptionsMapper.Map(o, "CloudCredentials", errors), errors);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("default")]
    public void Map_NoType_IsDefaultChain(string? type)
    {
        var (spec, errors) = Map(new CloudCredentialsOptions { Type = type });
        spec.Should().BeNull();
        errors.Should().BeEmpty();
    }

    [Fact]
    public void Map_AccessKey_FromOptions()
    {
        var (spec, errors) = Map(new CloudCredentialsOptions { Type = "access_key", AccessKeyId = "id", AccessKeySecret = "s" });
        errors.Should().BeEmpty();
        spec.Should().Be(new AccessKeySpec("id", "s"));
    }

    [Fact]
    public void Map_AccessKey_FallsBackToEnvironment()
    {
        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id").Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-s");
        Map(new CloudCredentialsOptions { Type = "access_key" }).Spec.Should().Be(new AccessKeySpec("env-id", "env-s"));
    }

    [Theory]
    [InlineData("access_key", "CloudCredentials:AccessKeyId is required for Type 'access_key'", "ALIBABA_CLOUD_ACCESS_KEY_ID")]
    [InlineData("sts", "CloudCredentials:SecurityToken is required for Type 'sts'", "ALIBABA_CLOUD_SECURITY_TOKEN")]
    [InlineData("bearer", "CloudCredentials:BearerToken is required for Type 'bearer'", "set it in configuration")]
    [InlineData("ram_role_arn", "CloudCredentials:RoleArn is required for Type 'ram_role_arn'", "ALIBABA_CLOUD_ROLE_ARN")]
    [InlineData("oidc_role_arn", "CloudCredentials:OIDCProviderArn is required for Type 'oidc_role_arn'", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN")]
    [InlineData("oidc_role_arn", "CloudCredentials:OIDCTokenFilePath is required", "ALIBABA_CLOUD_OIDC_TOKEN_FILE")]
    [InlineData("credentials_uri", "CloudCredentials:CredentialsUri is required", "ALIBABA_CLOUD_CREDENTIALS_URI")]
    public void Map_MissingRequiredKey_NamesKeyAndFix(string type, string expected, string hint)
    {
        var (spec, errors) = Map(new CloudCredentialsOptions { Type = type });
        spec.Should().BeNull();
        errors.Should().Contain(e => e.Contains(expected, StringComparison.Ordinal) && e.Contains(hint, StringComparison.Ordinal));
    }

    [Fact]
    public void Map_UnknownType_ListsSupportedTypes()
    {
        var (_, errors) = Map(new CloudCredentialsOptions { Type = "acces_key" });
        errors.Should().ContainSingle().Which.Should().Contain("'acces_key' is not a known credential type").And.Contain("access_key, sts, bearer");
    }

    [Fact]
    public void Map_RsaKeyPair_Deprecated()
        => Map(new CloudCredentialsOptions { Type = "rsa_key_pair" }).Errors.Should().ContainSingle().Which.Should().Contain("deprecated");

    [Theory]
    [InlineData(899, true)]
    [InlineData(900, false)]
    [InlineData(3600, false)]
    public void Map_RoleSessionExpiration_AtLeast900(int seconds, bool fails)
    {
        var (_, errors) = Map(new CloudCredentialsOptions { Type = "ram_role_arn", AccessKeyId = "i", AccessKeySecret = "s", RoleArn = "r", RoleSessionExpiration = seconds });
        errors.Any(e => e.Contains("RoleSessionExpiration", StringComparison.Ordinal)).Should().Be(fails);
    }

    [Fact]
    public void Map_RamRoleArn_EnvironmentTokenIsNotPairedWithConfiguredAccessKey()
    {
        _env.Set("ALIBABA_CLOUD_SECURITY_TOKEN", "stray-env-token");
        var spec = Map(new CloudCredentialsOptions { Type = "ram_role_arn", AccessKeyId = "i", AccessKeySecret = "s", RoleArn = "r" })
            .Spec.Should().BeOfType<RamRoleArnSpec>().Subject;
        spec.Source.Should().Be(new AccessKeySpec("i", "s"));
    }

    [Fact]
    public void Map_RoleSessionExpirationZero_MeansDefault()
        => Map(new CloudCredentialsOptions { Type = "ram_role_arn", AccessKeyId = "i", AccessKeySecret = "s", RoleArn = "r", RoleSessionExpiration = 0 }).Errors.Should().BeEmpty();

    [Fact]
    public void Map_RamRoleArn_WithToken_SignsWithSts_AndReadsEnvFallbacks()
    {
        _env.Set("ALIBABA_CLOUD_ROLE_ARN", "arn-env").Set("ALIBABA_CLOUD_ROLE_SESSION_NAME", "sess-env");
        var spec = Map(new CloudCredentialsOptions { Type = "ram_role_arn", AccessKeyId = "i", AccessKeySecret = "s", SecurityToken = "t", Policy = "p", ExternalId = "x" })
            .Spec.Should().BeOfType<RamRoleArnSpec>().Subject;
        spec.Source.Should().Be(new StsTokenSpec("i", "s", "t"));
        spec.Session.RoleArn.Should().Be("arn-env");
        spec.Session.RoleSessionName.Should().Be("sess-env");
        spec.Session.Policy.Should().Be("p");
        spec.ExternalId.Should().Be("x");
    }

    [Fact]
    public void Map_Ecs_DisabledByEnvironment_IsAnError()
    {
        Map(new CloudCredentialsOptions { Type = "ecs_ram_role" }).Errors.Should().ContainSingle().Which.Should().Contain("ALIBABA_CLOUD_ECS_METADATA_DISABLED");
        _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null).Set("ALIBABA_CLOUD_ECS_METADATA", " web ");
        Map(new CloudCredentialsOptions { Type = "ecs_ram_role", DisableIMDSv1 = true }).Spec.Should().Be(new EcsRamRoleSpec("web", true, new Uri(EcsRamRoleSpec.DefaultMetadataEndpoint)));
    }

    [Theory]
    [InlineData("Timeout")]
    [InlineData("ConnectTimeout")]
    public void Map_NonPositiveTimeouts_Fail(string key)
    {
        var o = new CloudCredentialsOptions();
        if (key == "Timeout")
        {
            o.Timeout = 0;
        }
        else
        {
            o.ConnectTimeout = -5;
        }

        Map(o).Errors.Should().ContainSingle().Which.Should().StartWith($"CloudCredentials:{key} is");
    }

    [Theory]
    [InlineData("a")]
    [InlineData("has space")]
    [InlineData("x/y")]
    public void Map_InvalidSessionName_Fails(string name)
        => Map(new CloudCredentialsOptions { RoleSessionName = name }).Errors.Should().ContainSingle().Which.Should().Contain("RoleSessionName");

    [Theory]
    [InlineData("MetadataEndpoint", "not-a-uri")]
    [InlineData("MetadataEndpoint", "ftp://x")]
    [InlineData("StsEndpoint", "http//bad host")]
    public void Map_BadEndpoints_Fail(string key, string value)
    {
        var o = new CloudCredentialsOptions();
        if (key == "MetadataEndpoint")
        {
            o.MetadataEndpoint = value;
        }
        else
        {
            o.StsEndpoint = value;
        }

        Map(o).Errors.Should().ContainSingle().Which.Should().Contain(key);
    }

    [Fact]
    public void Map_GoodEndpoints_Pass()
        => Map(new CloudCredentialsOptions { MetadataEndpoint = "http://127.0.0.1:8080", StsEndpoint = "sts.cn-hangzhou.aliyuncs.com" }).Errors.Should().BeEmpty();

    [Fact]
    public void Map_BadRefreshSettings_Fail()
    {
        var o = new CloudCredentialsOptions();
        o.Refresh.RefreshBefore = TimeSpan.Zero;
        o.Refresh.RetryBaseDelay = TimeSpan.FromSeconds(10);
        o.Refresh.RetryMaxDelay = TimeSpan.FromSeconds(1);
        o.Refresh.ClockSkew = TimeSpan.FromSeconds(-1);
        o.Refresh.FetchTimeout = TimeSpan.Zero;
        Map(o).Errors.Should().HaveCount(4);
    }

    [Fact]
    public void Map_ErrorsNeverContainSecrets()
    {
        var (_, errors) = Map(new CloudCredentialsOptions { Type = "sts", AccessKeyId = "id", AccessKeySecret = "very-secret-1", RoleSessionExpiration = 5 });
        string.Join("\n", errors).Should().NotContain("very-secret-1");
    }
}
