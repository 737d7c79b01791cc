using CloudCredentials.Aws.AssumeRole;
using CloudCredentials.Aws.DefaultChain;
using CloudCredentials.Aws.Process;
using CloudCredentials.Aws.Profiles;
using CloudCredentials.Aws.Static;
using CloudCredentials.Aws.WebIdentity;
using CloudCredentials.Credentials;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Aws.DefaultChain;

/// <summary>Profile → spec: keys, roles (source_profile chains, cycles, credential_source), web identity, process, out of scope.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AwsProfileResolverTests : IDisposable
{
    private const string Secret = "ProfileSecretValue123";
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    private CredentialSpec? Resolve(string credentials, string name, string config = "")
    {
        _env.WriteHomeFile(".aws/credentials", credentials);
        _env.WriteHomeFile(".aws/config", config);
        AwsProfileStore store = AwsProfileStore.Load(null, null);
        return new AwsProfileResolver(store, new CloudCredentialsOptions { Cloud = "aws" }, "CloudCredentials").Resolve(store.Find(name)!);
    }

    private string Fails(string credentials, string name, string config = "")
    {
        Action act = () => Resolve(credentials, name, config);
        CredentialUnavailableException ex = act.Should().Throw<CredentialUnavailableException>().Which;
        ex.ProviderName.Should().Be("aws/profile");
        ex.Message.Should().NotContain(Secret);
        return ex.Reason!;
    }

    [Fact]
    public void StaticAndSessionKeys()
    {
        Resolve($"[p]\naws_access_key_id = AKID\naws_secret_access_key = {Secret}\naws_session_token = TOK\n", "p")
            .Should().Be(new AwsStaticSpec("AKID", Secret, "TOK"));
    }

    [Fact]
    public void OnlyOneKey_ErrorNamesTheMissingKey()
        => Fails("[p]\naws_access_key_id = AKID\n", "p").Should().Contain("profile 'p'").And.Contain("no aws_secret_access_key");

    [Fact]
    public void RoleWithSourceProfileChain_NestsAssumeRoles_DownToStaticKeys()
    {
        CredentialSpec? spec = Resolve(
            $"[base]\naws_access_key_id = AKID\naws_secret_access_key = {Secret}\n",
            "top",
            "[profile mid]\nrole_arn = arn:aws:iam::1:role/mid\nsource_profile = base\n[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = mid\nexternal_id = ext-1\nduration_seconds = 1800\n");

        AssumeRoleSpec top = spec.Should().BeOfType<AssumeRoleSpec>().Subject;
        top.Request.RoleArn.Should().Be("arn:aws:iam::1:role/top");
        top.Request.ExternalId.Should().Be("ext-1");
        top.Request.DurationSeconds.Should().Be(1800);
        AssumeRoleSpec mid = top.Source.Should().BeOfType<AssumeRoleSpec>().Subject;
        mid.Request.DurationSeconds.Should().BeNull("DurationSeconds is sent only when duration_seconds is set");
        mid.Source.Should().Be(new AwsStaticSpec("AKID", Secret, null));
    }

    [Fact]
    public void SourceProfileCycle_ErrorNamesTheCycleAndTheSelfReferenceRule()
        => Fails("", "a", "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n")
            .Should().Contain("a -> b -> a").And.Contain("may name itself");

    [Fact]
    public void SelfReference_WithoutKeys_IsACycle()
        => Fails("", "a", "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = a\n").Should().Contain("a -> a");

    [Fact]
    public void SelfReference_WithStaticKeys_AssumesTheRoleWithItsOwnKeys()
    {
        CredentialSpec? spec = Resolve($"[a]\naws_access_key_id = AKID\naws_secret_access_key = {Secret}\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = a\n", "a");

        spec.Should().BeOfType<AssumeRoleSpec>().Which.Source.Should().Be(new AwsStaticSpec("AKID", Secret, null));
    }

    [Fact]
    public void BothSourceProfileAndCredentialSource_Error()
        => Fails("", "p", "[profile p]\nrole_arn = arn:aws:iam::1:role/p\nsource_profile = x\ncredential_source = Environment\n")
            .Should().Contain("both source_profile and credential_source");

    [Fact]
    public void InvalidCredentialSource_ErrorListsTheValidValues()
        => Fails("", "p", "[profile p]\nrole_arn = arn:aws:iam::1:role/p\ncredential_source = Laptop\n")
            .Should().Contain("'Laptop'").And.Contain("Environment, Ec2InstanceMetadata or EcsContainer");

    [Theory]
    [InlineData("Environment")]
    [InlineData("environment")]
    public void CredentialSourceEnvironment_CaseInsensitive(string value)
        => Resolve("", "p", $"[profile p]\nrole_arn = arn:aws:iam::1:role/p\ncredential_source = {value}\n")
            .Should().BeOfType<AssumeRoleSpec>().Which.Source.Should().BeOfType<AwsEnvironmentSpec>();

    [Fact]
    public void CredentialSourceEc2InstanceMetadata_WhenImdsDisabled_ErrorNamesTheVariable()
        => Fails("", "p", "[profile p]\nrole_arn = arn:aws:iam::1:role/p\ncredential_source = ec2instancemetadata\n")
            .Should().Contain("Ec2InstanceMetadata").And.Contain("AWS_EC2_METADATA_DISABLED");

    [Fact]
    public void CredentialSourceEcsContainer_WithoutTheVariables_Error()
        => Fails("", "p", "[profile p]\nrole_arn = arn:aws:iam::1:role/p\ncredential_source = EcsContainer\n")
            .Should().Contain("EcsContainer").And.Contain("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");

    [Fact]
    public void MissingSourceProfile_ErrorListsTheProfiles()
        => Fails("[other]\naws_access_key_id = A\naws_secret_access_key = B\n", "p", "[profile p]\nrole_arn = arn:aws:iam::1:role/p\nsource_profile = nope\n")
            .Should().Contain("'nope'").And.Contain("are: other, p");

    [Fact]
    public void WebIdentityTokenFile_WithRole()
        => Resolve("", "p", "[profile p]\nrole_arn = arn:aws:iam::1:role/p\nweb_identity_token_file = /var/token\nrole_session_name = s1\n")
            .Should().BeOfType<WebIdentitySpec>().Which.Should().Match<WebIdentitySpec>(w => w.TokenFile == "/var/token" && w.RoleSessionName == "s1");

    [Fact]
    public void WebIdentityTokenFile_WithoutRole_Error()
        => Fails("", "p", "[profile p]\nweb_identity_token_file = /var/token\n").Should().Contain("no role_arn");

    [Fact]
    public void CredentialProcess()
        => Resolve("", "p", "[profile p]\ncredential_process = /bin/tool --json\n").Should().BeOfType<CredentialProcessSpec>()
            .Which.Command.Should().Be("/bin/tool --json");

    [Fact]
    public void RoleWithoutASource_Error()
        => Fails("", "p", "[profile p]\nrole_arn = arn:aws:iam::1:role/p\n").Should().Contain("neither source_profile nor credential_source");

    [Theory]
    [InlineData("sso_start_url = https://x.awsapps.com/start", "sso_start_url")]
    [InlineData("sso_session = corp", "sso_session")]
    [InlineData("login_session = arn:aws:iam::1:user/u", "login_session")]
    [InlineData("mfa_serial = arn:aws:iam::1:mfa/u\nrole_arn = arn:aws:iam::1:role/p\nsource_profile = p", "mfa_serial")]
    public void OutOfScope_ErrorNamesProfileKeyAndWhatToDo(string line, string key)
        => Fails("", "p", $"[profile p]\n{line}\n").Should().Contain("profile 'p'").And.Contain(key).And.Contain("credential_process");

    [Fact]
    public void NoCredentialSettings_Null()
        => Resolve("", "p", "[profile p]\nregion = us-east-1\n").Should().BeNull();

    [Fact]
    public void InvalidDuration_Error()
        => Fails("", "p", "[profile p]\nrole_arn = arn:aws:iam::1:role/p\ncredential_source = Environment\nduration_seconds = 60\n")
            .Should().Contain("duration_seconds");
}
