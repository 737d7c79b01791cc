using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using CloudCredentials.Aws.DefaultChain;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Aws.DefaultChain;

/// <summary>
/// The same environment and files through the AWS SDK for .NET v4 (AWSSDK.Core) and through the library's AWS default
/// chain give the same AccessKeyId, secret and session token. Env keys go through the SDK's default chain
/// (<see cref="DefaultAWSCredentialsIdentityResolver"/>, which stops at its first step); profiles through its profile
/// store (<see cref="CredentialProfileStoreChain"/>) with the profile the decisions table selects, because the SDK's
/// chain goes on to IMDS when a profile is missing. The SDK never leaves the machine: IMDS is disabled and its
/// endpoint points at a closed loopback port.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AwsSdkChainParityTests : IDisposable
{
    private readonly EnvironmentScope _env = new EnvironmentScope()
        .Set("AWS_EC2_METADATA_DISABLED", "true")
        .Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9");

    public void Dispose() => _env.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("FwoGZXIvYXdzEParityToken")]
    public async Task EnvKeys_SameAsTheSdk(string? token)
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENVPARITY" + (token is null ? "1" : "2")).Set("AWS_SECRET_ACCESS_KEY", "env/parity+secret").Set("AWS_SESSION_TOKEN", token);
        _env.WriteHomeFile(".aws/credentials", "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file\n");

        AWSCredentials sdkChain = await new DefaultAWSCredentialsIdentityResolver().ResolveIdentityAsync(null!);
        await ShouldMatchAsync(sdkChain, "aws/default/env");
        ImmutableCredentials direct = await new EnvironmentVariablesAWSCredentials().GetCredentialsAsync();
        direct.Token.Should().Be(token ?? string.Empty);
    }

    [Theory]
    [InlineData("work", "[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = work-secret\n", "")]
    [InlineData("cmt", "# comment\n[cmt]\naws_access_key_id = AKIACMT\n; another\naws_secret_access_key = cmt-secret\naws_session_token = cmt-token\n", "")]
    [InlineData("both", "[both]\naws_secret_access_key = from-credentials\naws_access_key_id = AKIABOTH\n", "[profile both]\naws_access_key_id = AKIABOTHCFG\naws_secret_access_key = from-config\n")]
    public async Task AwsProfile_SelectsTheSameProfileAsTheSdk(string profile, string credentials, string config)
    {
        WriteFiles(credentials, "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = default-secret\n" + config);
        _env.Set("AWS_PROFILE", profile);

        await ShouldMatchAsync(SdkProfile(profile), "aws/default/profile/static");
    }

    [Fact]
    public async Task MixedCaseKeys_ReadAlikeByBoth()
    {
        WriteFiles("[upper]\nAWS_ACCESS_KEY_ID = AKIAUPPER\nAws_Secret_Access_Key = upper-secret\n", string.Empty);
        _env.Set("AWS_PROFILE", "upper");

        await ShouldMatchAsync(SdkProfile("upper"), "aws/default/profile/static");
    }

    [Fact]
    public async Task NoProfileVariable_DefaultProfile_SameAsTheSdk()
    {
        WriteFiles("[default]\naws_access_key_id = AKIADEFONLY\naws_secret_access_key = def-secret\n[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other\n", string.Empty);

        await ShouldMatchAsync(SdkProfile("default"), "aws/default/profile/static");
    }

    [Fact]
    public async Task NamedProfileMissing_SdkHasNoSuchProfile_OursStopsListingTheExistingProfiles()
    {
        WriteFiles("[alpha]\naws_access_key_id = AKIAALPHA\naws_secret_access_key = a\n", string.Empty);
        _env.Set("AWS_PROFILE", "beta");

        Func<Task> ours = () => Chain().FetchAsync(CancellationToken.None).AsTask();

        new CredentialProfileStoreChain(Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE")).TryGetProfile("beta", out _).Should().BeFalse();
        (await ours.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain("'beta'").And.Contain("alpha").And.Contain("aws/container: not asked");
    }

    private void WriteFiles(string credentials, string config)
    {
        string credentialsPath = _env.WriteHomeFile(".aws/credentials", credentials);
        string configPath = _env.WriteHomeFile(".aws/config", config);
        _env.Set("AWS_SHARED_CREDENTIALS_FILE", credentialsPath).Set("AWS_CONFIG_FILE", configPath);
    }

    private static AWSCredentials SdkProfile(string profile)
    {
        new CredentialProfileStoreChain(Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE"))
            .TryGetAWSCredentials(profile, out AWSCredentials credentials).Should().BeTrue();
        return credentials;
    }

    private static async Task ShouldMatchAsync(AWSCredentials sdkCredentials, string expectedProvider)
    {
        ImmutableCredentials sdk = await sdkCredentials.GetCredentialsAsync();
        CloudCredential ours = await Chain().FetchAsync(CancellationToken.None);

        (ours.AccessKeyId, ours.AccessKeySecret, ours.SecurityToken ?? string.Empty)
            .Should().Be((sdk.AccessKey, sdk.SecretKey, sdk.Token ?? string.Empty));
        ours.ProviderName.Should().Be(expectedProvider);
    }

    private static ICredentialProvider Chain()
        => AwsDefaultChainSpec.Resolve(new CloudCredentialsOptions { Cloud = "aws" }, "CloudCredentials").Build(TestBuildContext.Create());
}
