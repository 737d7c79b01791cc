using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CloudCredentials.Emulator.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Emulator.Tests.Internal.Aws;

/// <summary>
/// The AWS SDK for .NET v4 STS client (its own SigV4 signer and XML parser) against the emulator's STS: a third,
/// independent implementation agreeing with the emulator's verifier and answers. The SDK signs with the real clock, so
/// the emulator's (fake) clock starts at the real time; nothing here waits.
/// </summary>
public class AwsSdkCrossCheckTests
{
    [Fact]
    public async Task AssumeRole_ThenGetCallerIdentityWithTheSessionCredentials()
    {
        await using CloudEmulator emulator = await StartAsync();
        using AmazonSecurityTokenServiceClient demo = Client(emulator, new BasicAWSCredentials(AwsEmulatorOptions.DefaultAccessKeyId, AwsEmulatorOptions.DefaultSecretAccessKey));

        AssumeRoleResponse assumed = await demo.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = AwsStsCalls.RoleArn,
            RoleSessionName = "sdk-session",
            DurationSeconds = 900,
        });

        assumed.Credentials.AccessKeyId.Should().StartWith("ASIA");
        assumed.Credentials.Expiration.Should().NotBeNull();
        assumed.AssumedRoleUser.Arn.Should().Be("arn:aws:sts::123456789012:assumed-role/EmulatorRole/sdk-session");

        using AmazonSecurityTokenServiceClient session = Client(
            emulator, new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken));
        GetCallerIdentityResponse identity = await session.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        identity.Arn.Should().Be(assumed.AssumedRoleUser.Arn);
        identity.Account.Should().Be("123456789012");
        emulator.Stats.Aws.SignatureFailures.Should().Be(0);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_Anonymous()
    {
        await using CloudEmulator emulator = await StartAsync();
        using AmazonSecurityTokenServiceClient anonymous = Client(emulator, new AnonymousAWSCredentials());

        AssumeRoleWithWebIdentityResponse response = await anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = AwsStsCalls.RoleArn,
            RoleSessionName = "web",
            WebIdentityToken = "header.payload.signature",
        });

        response.Credentials.SessionToken.Should().NotBeNullOrEmpty();
        response.Provider.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task WrongSecret_SdkSeesSignatureDoesNotMatch()
    {
        await using CloudEmulator emulator = await StartAsync();
        using AmazonSecurityTokenServiceClient wrong = Client(emulator, new BasicAWSCredentials(AwsEmulatorOptions.DefaultAccessKeyId, "not-the-secret"));

        Func<Task> act = () => wrong.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        (await act.Should().ThrowAsync<AmazonSecurityTokenServiceException>())
            .Which.ErrorCode.Should().Be("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task InjectedExpiredTokenFault_SdkRaisesItsModeledException()
    {
        await using CloudEmulator emulator = await StartAsync();
        emulator.InjectFault(EmulatorService.AwsSts, EmulatorFault.AwsError(400, "ExpiredTokenException", "The token has expired."));
        using AmazonSecurityTokenServiceClient demo = Client(emulator, new BasicAWSCredentials(AwsEmulatorOptions.DefaultAccessKeyId, AwsEmulatorOptions.DefaultSecretAccessKey));

        Func<Task> act = () => demo.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = AwsStsCalls.RoleArn, RoleSessionName = "sdk" });

        (await act.Should().ThrowAsync<ExpiredTokenException>()).Which.ErrorCode.Should().Be("ExpiredTokenException");
    }

    private static Task<CloudEmulator> StartAsync() =>
        CloudEmulator.StartAsync(new EmulatorOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow) });

    private static AmazonSecurityTokenServiceClient Client(CloudEmulator emulator, AWSCredentials credentials) => new(
        credentials,
        new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = emulator.BaseAddress.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromSeconds(10),
        });
}
