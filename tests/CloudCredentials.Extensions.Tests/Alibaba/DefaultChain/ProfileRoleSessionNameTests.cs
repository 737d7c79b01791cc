using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.DefaultChain;

/// <summary>
/// Roles built from CLI and INI profiles take ALIBABA_CLOUD_ROLE_SESSION_NAME when the profile has no session name
/// (issue 10, item 11; Go and Node apply it in their role builders): the profile's own name, then the variable, then
/// the default. Before, they always sent credentials-dotnet-&lt;ms&gt;.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ProfileRoleSessionNameTests : IDisposable
{
    private const string Cli = """
        {"profiles":[
          {"name":"ak","mode":"AK","access_key_id":"i","access_key_secret":"s"},
          {"name":"role","mode":"RamRoleArn","access_key_id":"i","access_key_secret":"s","ram_role_arn":"arn"},
          {"name":"named","mode":"RamRoleArn","access_key_id":"i","access_key_secret":"s","ram_role_arn":"arn","ram_session_name":"from-profile"},
          {"name":"chain","mode":"ChainableRamRoleArn","source_profile":"ak","ram_role_arn":"arn"},
          {"name":"oidc","mode":"OIDC","ram_role_arn":"arn","oidc_provider_arn":"p","oidc_token_file":"/t"}]}
        """;

    private const string Ini = """
        [oidc]
        type = oidc_role_arn
        role_arn = arn
        oidc_provider_arn = p
        oidc_token_file_path = /t
        [named]
        type = oidc_role_arn
        role_arn = arn
        oidc_provider_arn = p
        oidc_token_file_path = /t
        role_session_name = from-profile
        """;

    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    private static string? CliSession(string profile)
        => CliProfileReader.ToSpec(CliConfigFile.Parse("/x/config.json", Cli, "cli_profile"), profile, new CloudCredentialsOptions()) switch
        {
            RamRoleArnSpec r => r.Session.RoleSessionName,
            OidcRoleArnSpec o => o.Session.RoleSessionName,
            var other => throw new InvalidOperationException(other.GetType().Name),
        };

    private static string? IniSession(string section)
        => IniProfileReader.ToSpec(IniFile.Parse("/c", Ini), section, new CloudCredentialsOptions())
            .Should().BeOfType<OidcRoleArnSpec>().Subject.Session.RoleSessionName;

    [Theory]
    [InlineData("role")]
    [InlineData("chain")]
    [InlineData("oidc")]
    public void CliRole_WithoutSessionName_TakesTheVariable(string profile)
    {
        _env.Set("ALIBABA_CLOUD_ROLE_SESSION_NAME", "from-env");
        CliSession(profile).Should().Be("from-env");
    }

    [Fact]
    public void CliRole_ProfileSessionName_BeatsTheVariable()
    {
        _env.Set("ALIBABA_CLOUD_ROLE_SESSION_NAME", "from-env");
        CliSession("named").Should().Be("from-profile");
    }

    [Fact]
    public void CliRole_NeitherSet_LeavesTheDefaultToTheBuild()
        => CliSession("role").Should().BeNull("the build gives it credentials-dotnet-<ms>");

    [Fact]
    public void IniOidc_WithoutSessionName_TakesTheVariable()
    {
        _env.Set("ALIBABA_CLOUD_ROLE_SESSION_NAME", "from-env");
        IniSession("oidc").Should().Be("from-env");
        IniSession("named").Should().Be("from-profile");
    }

    [Fact]
    public void IniOidc_NeitherSet_LeavesTheDefaultToTheBuild()
        => IniSession("oidc").Should().BeNull();
}
