using CloudCredentials.Emulator;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// The library's SigV4 (AssumeRole, signed by <c>AwsStsClient</c>, and the <c>AddAwsSigV4Signing</c> handler) against the
/// emulator's own, independent SigV4 verifier: two implementations that must agree byte for byte on the canonical request.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AwsStsInteropTests
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/app";

    [Fact]
    public async Task AssumeRole_SignedByTheLibrary_AcceptedByTheEmulatorsVerifier()
    {
        using var env = new EnvironmentScope();
        await using AwsEmulatorApp app = await AwsEmulatorApp.BuildAsync(e => new()
        {
            ["Cloud"] = "aws", ["Type"] = "assume_role", ["RoleArn"] = RoleArn, ["Region"] = "eu-west-1", ["StsEndpoint"] = e.ToString(),
            ["AccessKeyId"] = AwsEmulatorOptions.DefaultAccessKeyId, ["AccessKeySecret"] = AwsEmulatorOptions.DefaultSecretAccessKey,
        });

        CloudCredential credential = await app.Source.GetCredentialAsync();

        credential.ProviderName.Should().StartWith("aws/assume_role");
        credential.SecurityToken.Should().NotBeNullOrEmpty();
        app.Stats.StsAssumeRole.Should().Be(1);
        app.Stats.SignatureFailures.Should().Be(0);
        (await app.GetCallerIdentityAsync(app.SignedClient())).Status.Should().Be(200, "the assumed role's session credential signs too");
        app.Stats.SignatureFailures.Should().Be(0);
    }

    [Fact]
    public async Task AssumeRole_WrongSecret_RefusedByTheVerifier_SignatureDoesNotMatch_NoSecretInTheMessage()
    {
        const string wrongSecret = "not-the-emulator-secret-0001";
        using var env = new EnvironmentScope();
        await using AwsEmulatorApp app = await AwsEmulatorApp.BuildAsync(e => new()
        {
            ["Cloud"] = "aws", ["Type"] = "assume_role", ["RoleArn"] = RoleArn, ["StsEndpoint"] = e.ToString(),
            ["AccessKeyId"] = AwsEmulatorOptions.DefaultAccessKeyId, ["AccessKeySecret"] = wrongSecret,
        });

        Func<Task> get = () => app.Source.GetCredentialAsync().AsTask();

        CredentialUnavailableException ex = (await get.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ToString().Should().Contain("SignatureDoesNotMatch").And.NotContain(wrongSecret);
        app.Stats.SignatureFailures.Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task ChainedRole_SourceFromEmulatorImds_SignsAssumeRoleWithTheInstanceSession()
    {
        // assume_role without keys or profile signs with the AWS default chain; here only IMDS (the emulator) answers.
        using var env = new EnvironmentScope().Set("AWS_EC2_METADATA_DISABLED", null);
        await using AwsEmulatorApp app = await AwsEmulatorApp.BuildAsync(
            e => new()
            {
                ["Cloud"] = "aws", ["Type"] = "assume_role", ["RoleArn"] = RoleArn, ["StsEndpoint"] = e.ToString(),
                ["MetadataEndpoint"] = e.ToString(),
            },
            o => o.Aws.ImdsV1Disabled = true);

        CloudCredential credential = await app.Source.GetCredentialAsync();

        credential.ProviderName.Should().StartWith("aws/assume_role");
        app.Stats.ImdsTokenPuts.Should().Be(1);
        app.Stats.ImdsCredentialsGets.Should().Be(1, "the source session came from instance metadata");
        app.Stats.StsAssumeRole.Should().Be(1, "and signed AssumeRole with its session token");
        app.Stats.SignatureFailures.Should().Be(0);
        (await app.GetCallerIdentityAsync(app.SignedClient())).Status.Should().Be(200);
    }
}
