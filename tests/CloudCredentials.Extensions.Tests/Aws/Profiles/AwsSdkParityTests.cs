using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using CloudCredentials.Aws.DefaultChain;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Aws.Profiles;

/// <summary>The same files read by this library and by the AWS SDK for .NET v4 (AWSSDK.Core) give the same keys.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AwsSdkParityTests : IDisposable
{
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    [Theory]
    [InlineData("default", "[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = secretdef\n", "")]
    [InlineData("dev", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = secretdev\naws_session_token = tokdev\n", "[profile dev]\nregion = eu-west-1\n")]
    [InlineData("both", "[both]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = fromcreds\n", "[profile both]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = fromconfig\n")]
    [InlineData("indented", "[indented]\n  aws_access_key_id = AKIDINDENT\n  aws_secret_access_key = indentsecret\n", "")]
    public async Task StaticAndSessionProfiles_SameKeysAsTheAwsSdk(string profile, string credentials, string config)
    {
        string credentialsPath = _env.WriteHomeFile(".aws/credentials", credentials);
        _env.WriteHomeFile(".aws/config", config);
        _env.Set("AWS_CONFIG_FILE", Path.Combine(_env.Home, ".aws", "config")).Set("AWS_SHARED_CREDENTIALS_FILE", credentialsPath);

        new CredentialProfileStoreChain(credentialsPath).TryGetAWSCredentials(profile, out AWSCredentials sdkCredentials).Should().BeTrue();
        ImmutableCredentials sdk = await sdkCredentials.GetCredentialsAsync();
        CloudCredential ours = await TestBuildContext.Build(new AwsProfileSpec(new CloudCredentialsOptions { Cloud = "aws", Profile = profile }, "S", Strict: true))
            .FetchAsync(CancellationToken.None);

        (ours.AccessKeyId, ours.AccessKeySecret, ours.SecurityToken ?? string.Empty)
            .Should().Be((sdk.AccessKey, sdk.SecretKey, sdk.Token ?? string.Empty));
    }

    [Fact]
    public async Task InlineComment_StrippedHere_KeptByTheAwsSdk_ADocumentedDifference()
    {
        string credentialsPath = _env.WriteHomeFile(".aws/credentials", "[p]\naws_access_key_id = AKIDP ; note\naws_secret_access_key = s\n");
        _env.Set("AWS_SHARED_CREDENTIALS_FILE", credentialsPath);

        new CredentialProfileStoreChain(credentialsPath).TryGetAWSCredentials("p", out AWSCredentials sdkCredentials).Should().BeTrue();
        (await sdkCredentials.GetCredentialsAsync()).AccessKey.Should().Be("AKIDP ; note");
        (await TestBuildContext.Build(new AwsProfileSpec(new CloudCredentialsOptions { Profile = "p" }, "S", Strict: true)).FetchAsync(CancellationToken.None))
            .AccessKeyId.Should().Be("AKIDP", "the project's decision: inline comments after whitespace are comments");
    }
}
