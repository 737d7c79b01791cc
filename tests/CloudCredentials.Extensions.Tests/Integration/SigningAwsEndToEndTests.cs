using System.Net;
using CloudCredentials.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// AWS Signature V4 end to end: an app's signed HttpClient (AddCloudCredentials with <c>Cloud=aws</c>, a retry handler,
/// AddAwsSigV4Signing) calling STS GetCallerIdentity on the emulator, which verifies the signature with its own code;
/// a session credential (x-amz-security-token) from the emulator's STS; tampered and stale requests refused.
/// </summary>
public sealed class SigningAwsEndToEndTests
{
    private const string AmzDate = "yyyyMMdd'T'HHmmss'Z'";
    private const string RoleArn = "arn:aws:iam::123456789012:role/EmulatorRole";

    [Fact]
    public async Task GetCallerIdentity_RetriedAfter503_IsReSignedAndAnswers200()
    {
        await using SigningEndToEndHost h = await StartAsync();
        h.Emulator.InjectFault(EmulatorService.AwsSts, EmulatorFault.AwsError(503, "ServiceUnavailable", "Service is unavailable."));

        (HttpStatusCode status, string body) = await h.SendAsync(GetCallerIdentity());

        status.Should().Be(HttpStatusCode.OK, body);
        body.Should().Contain("<GetCallerIdentityResult>").And.Contain("<Account>123456789012</Account>");
        h.Recorder.Attempts.Select(a => a.Status).Should().Equal(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        h.Recorder.Attempts.Select(a => a.Request.Body).Distinct().Should().ContainSingle("the form body is replayed on the retry");
        h.ShouldBeReSigned("x-amz-date");
        h.Recorder.Header("Authorization").Should().AllSatisfy(a =>
            a.Should().StartWith($"AWS4-HMAC-SHA256 Credential={AwsEmulatorOptions.DefaultAccessKeyId}/20260501/us-east-1/sts/aws4_request, "));
    }

    [Fact]
    public async Task SessionCredential_FromEmulatorSts_SignsWithSecurityToken()
    {
        await using SigningEndToEndHost h = await StartAsync((o, emulator) =>
        {
            o.Cloud = "aws";
            o.Type = "assume_role";
            o.AccessKeyId = AwsEmulatorOptions.DefaultAccessKeyId;
            o.AccessKeySecret = AwsEmulatorOptions.DefaultSecretAccessKey;
            o.RoleArn = RoleArn;
            o.RoleSessionName = "signing-e2e";
            o.Region = "us-east-1";
            o.StsEndpoint = emulator.BaseAddress.ToString();
        });
        CloudCredential session = await h.RememberCredentialAsync();
        h.Emulator.InjectFault(EmulatorService.AwsSts, EmulatorFault.AwsError(503, "ServiceUnavailable", "Service is unavailable."));

        (HttpStatusCode status, string body) = await h.SendAsync(GetCallerIdentity());

        status.Should().Be(HttpStatusCode.OK, body);
        body.Should().Contain("<Arn>arn:aws:sts::123456789012:assumed-role/EmulatorRole/signing-e2e</Arn>");
        h.Recorder.Header("x-amz-security-token").Should().AllBe(session.SecurityToken).And.HaveCount(2);
        h.ShouldBeReSigned("x-amz-date");
    }

    [Fact]
    public async Task SignedHeaderChangedAfterSigning_EmulatorAnswersSignatureDoesNotMatch()
    {
        await using SigningEndToEndHost h = await StartAsync(tamper: SigningEndToEndHost.ShiftSignedDate("x-amz-date", AmzDate));

        (HttpStatusCode status, string body) = await h.SendAsync(GetCallerIdentity());

        ShouldBeRefused(status, body, "The request signature we calculated does not match");
    }

    [Fact]
    public async Task BodyChangedAfterSigning_EmulatorAnswersSignatureDoesNotMatch()
    {
        await using SigningEndToEndHost h = await StartAsync(
            tamper: SigningEndToEndHost.ReplaceBody("Action=AssumeRole&Version=2011-06-15&RoleArn=" + Uri.EscapeDataString(RoleArn) + "&RoleSessionName=attacker"));

        (HttpStatusCode status, string body) = await h.SendAsync(GetCallerIdentity());

        ShouldBeRefused(status, body, "The request signature we calculated does not match");
        h.Emulator.Stats.Aws.CredentialsIssued.Should().Be(0, "the swapped-in AssumeRole was refused");
        h.Emulator.Stats.Aws.SignatureFailures.Should().Be(1);
    }

    [Fact]
    public async Task ClientClockBehind20Minutes_EmulatorAnswersSignatureExpired()
    {
        await using SigningEndToEndHost h = await StartAsync(clientClockOffset: TimeSpan.FromMinutes(-20));

        (HttpStatusCode status, string body) = await h.SendAsync(GetCallerIdentity());

        ShouldBeRefused(status, body, "Signature expired: 20260430T234000Z is now earlier than 20260430T234500Z");
    }

    private static Task<SigningEndToEndHost> StartAsync(
        Action<CloudCredentialsOptions, CloudEmulator>? credential = null,
        Func<HttpRequestMessage, Task>? tamper = null,
        TimeSpan clientClockOffset = default) =>
        SigningEndToEndHost.StartAsync(credential ?? SigningEndToEndHost.AwsAccessKey, b => b.AddAwsSigV4Signing("sts", "us-east-1"), tamper, clientClockOffset);

    private static HttpRequestMessage GetCallerIdentity() => new(HttpMethod.Post, "/")
    {
        Content = new FormUrlEncodedContent([new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]),
    };

    private static void ShouldBeRefused(HttpStatusCode status, string body, string message)
    {
        status.Should().Be(HttpStatusCode.Forbidden, body);
        body.Should().Contain("<Code>SignatureDoesNotMatch</Code>").And.Contain(message);
    }
}
