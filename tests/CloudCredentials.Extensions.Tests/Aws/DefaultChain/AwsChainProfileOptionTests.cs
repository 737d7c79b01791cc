using CloudCredentials.Aws.DefaultChain;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Aws.DefaultChain;

/// <summary>
/// <c>"Cloud": "aws"</c> with <c>"Profile"</c>: the chain uses that profile, even when AWS env keys are exported (a
/// profile chosen in code wins in the AWS SDKs: .NET AWSOptions.Profile / ClientConfig.Profile, Go
/// WithSharedConfigProfile, botocore session profile); a missing or empty profile stops the chain.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AwsChainProfileOptionTests : IDisposable
{
    private readonly EnvironmentScope _env = new EnvironmentScope()
        .Set("AWS_ACCESS_KEY_ID", "AKIAFROMENV").Set("AWS_SECRET_ACCESS_KEY", "env-secret")
        .Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");

    public void Dispose() => _env.Dispose();

    private static ICredentialProvider Chain(string profile)
        => AwsDefaultChainSpec.Resolve(new CloudCredentialsOptions { Cloud = "aws", Profile = profile }, "CloudCredentials").Build(TestBuildContext.Create());

    [Fact]
    public async Task ProfileOption_WinsOverEnvKeys()
    {
        _env.WriteHomeFile(".aws/credentials", "[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = work-secret\n");

        CloudCredential c = await Chain("work").FetchAsync(CancellationToken.None);

        (c.AccessKeyId, c.AccessKeySecret, c.ProviderName).Should().Be(("AKIAWORK", "work-secret", "aws/default/profile/static"));
    }

    [Fact]
    public async Task ProfileOption_ProfileWithoutCredentials_StopsTheChain_EnvAndContainerNotUsed()
    {
        _env.WriteHomeFile(".aws/config", "[profile work]\nregion = eu-west-1\n");

        CredentialUnavailableException ex = (await FluentActions.Awaiting(() => Chain("work").FetchAsync(CancellationToken.None).AsTask())
            .Should().ThrowAsync<CredentialUnavailableException>()).Which;

        ex.Message.Should().Contain("aws/env: CloudCredentials:Profile is set").And.Contain("profile 'work' has no credentials").And.Contain("aws/container: not asked");
        ex.ToString().Should().NotContain("env-secret");
    }

    [Fact]
    public async Task ProfileOption_Missing_StopsTheChain_ListingTheProfiles()
    {
        _env.WriteHomeFile(".aws/credentials", "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = dev-secret\n");

        CredentialUnavailableException ex = (await FluentActions.Awaiting(() => Chain("prod").FetchAsync(CancellationToken.None).AsTask())
            .Should().ThrowAsync<CredentialUnavailableException>()).Which;

        ex.Message.Should().Contain("profile 'prod' (from CloudCredentials:Profile) does not exist").And.Contain("dev").And.Contain("aws/container: not asked");
    }
}
