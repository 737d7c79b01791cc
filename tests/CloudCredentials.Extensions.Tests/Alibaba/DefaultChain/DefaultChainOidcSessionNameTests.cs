using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.Options;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.DefaultChain;

/// <summary>
/// One session-name rule everywhere (issue 10, item 13): the configured RoleSessionName first, then
/// ALIBABA_CLOUD_ROLE_SESSION_NAME, then the default — for the default chain's OIDC member as for the typed
/// oidc_role_arn. Before, the chain put the variable before the configuration.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class DefaultChainOidcSessionNameTests : IDisposable
{
    private readonly EnvironmentScope _env = new();

    public DefaultChainOidcSessionNameTests()
        => _env.Set("ALIBABA_CLOUD_ROLE_ARN", "arn")
            .Set("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "p")
            .Set("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/t");

    public void Dispose() => _env.Dispose();

    private static string? ChainSession(CloudCredentialsOptions o)
        => DefaultChainSpec.Resolve(o).Members.OfType<OidcRoleArnSpec>().Should().ContainSingle().Subject.Session.RoleSessionName;

    private static string? TypedSession(CloudCredentialsOptions o)
    {
        o.Type = "oidc_role_arn";
        return AlibabaOptionsMapper.Map(o, "CloudCredentials", []).Should().BeOfType<OidcRoleArnSpec>().Subject.Session.RoleSessionName;
    }

    [Fact]
    public void ConfigurationAndVariable_ConfigurationWins_InTheChainAsInTypedOptions()
    {
        _env.Set("ALIBABA_CLOUD_ROLE_SESSION_NAME", "from-env");
        ChainSession(new CloudCredentialsOptions { RoleSessionName = "from-config" }).Should().Be("from-config");
        TypedSession(new CloudCredentialsOptions { RoleSessionName = "from-config" }).Should().Be("from-config");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void NoConfiguration_TheVariable(string? configured)
    {
        _env.Set("ALIBABA_CLOUD_ROLE_SESSION_NAME", "from-env");
        ChainSession(new CloudCredentialsOptions { RoleSessionName = configured }).Should().Be("from-env");
        TypedSession(new CloudCredentialsOptions { RoleSessionName = configured }).Should().Be("from-env");
    }

    [Fact]
    public void Neither_LeavesTheDefaultToTheBuild()
    {
        ChainSession(new CloudCredentialsOptions()).Should().BeNull();
        TypedSession(new CloudCredentialsOptions()).Should().BeNull();
    }
}
