using System.Globalization;
using System.Text;
using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Credentials;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.DefaultChain;

/// <summary>ChainableRamRoleArn chains are capped at 32 profiles, so a long chain is an error and not a stack overflow.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class CliProfileChainDepthTests : IDisposable
{
    private const string Path = "/etc/test/config.json";

    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    /// <summary>A config.json whose profile p0 chains through p1 … p(n-2) to the AK profile p(n-1): n profiles in all.</summary>
    private static CliConfigFile Chain(int profiles)
    {
        var json = new StringBuilder("""{"current":"p0","profiles":[""");
        for (int i = 0; i < profiles; i++)
        {
            json.Append(i == 0 ? string.Empty : ",");
            json.Append(i == profiles - 1
                ? string.Create(CultureInfo.InvariantCulture, $$"""{"name":"p{{i}}","mode":"AK","access_key_id":"id","access_key_secret":"s"}""")
                : string.Create(CultureInfo.InvariantCulture, $$"""{"name":"p{{i}}","mode":"ChainableRamRoleArn","source_profile":"p{{i + 1}}","ram_role_arn":"acs:ram::1:role/r{{i}}"}"""));
        }

        return CliConfigFile.Parse(Path, json.Append("]}").ToString(), CliProfileReader.ProviderName);
    }

    private static int Depth(CredentialSpec spec) => spec is RamRoleArnSpec role ? 1 + Depth(role.Source) : 1;

    [Fact]
    public void ToSpec_ChainOf32Profiles_MapsAndBuilds()
    {
        CredentialSpec spec = CliProfileReader.ToSpec(Chain(32), "p0", new CloudCredentialsOptions());

        Depth(spec).Should().Be(32);
        spec.Build(TestBuildContext.Create()).Should().NotBeNull();
    }

    [Fact]
    public void ToSpec_ChainOf40Profiles_FailsNamingTheFileAndAnExcerptOfTheChain()
    {
        Action act = () => CliProfileReader.ToSpec(Chain(40), "p0", new CloudCredentialsOptions());

        CredentialUnavailableException ex = act.Should().Throw<CredentialUnavailableException>().Which;
        ex.ProviderName.Should().Be("cli_profile");
        ex.Reason.Should().StartWith($"{Path}: the ChainableRamRoleArn chain from profile 'p0' is longer than 32 profiles (p0 -> p1 -> p2 -> ... -> p30 -> p31 -> p32)");
        ex.Reason.Should().Contain("source_profile").And.NotContain("p33").And.NotContain("p39");
    }

    [Fact]
    public void ToSpec_ChainOf10000Profiles_FailsInsteadOfOverflowingTheStack()
    {
        Action act = () => CliProfileReader.ToSpec(Chain(10_000), "p0", new CloudCredentialsOptions());

        act.Should().Throw<CredentialUnavailableException>().Which.Reason.Should().Contain("is longer than 32 profiles");
    }
}
