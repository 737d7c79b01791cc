using System.Net;
using System.Xml.Linq;
using CloudCredentials.Emulator.Tests.TestSupport;
using static CloudCredentials.Emulator.Tests.TestSupport.AwsStsCalls;

namespace CloudCredentials.Emulator.Tests.Internal.Aws;

public class AwsStsEmulatorTests
{
    private static readonly XNamespace Ns = AwsStsCalls.Ns;

    [Fact]
    public async Task AssumeRole_SignedWithDemoKey_AnswersCredentialsXml()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        XElement result = await ExpectResultAsync(ctx, await SignedAsync(ctx, AssumeRole(durationSeconds: "7200")), "AssumeRole");

        XElement credentials = result.Element(Ns + "Credentials")!;
        credentials.Element(Ns + "AccessKeyId")!.Value.Should().StartWith("ASIA");
        credentials.Element(Ns + "SecretAccessKey")!.Value.Should().NotBeEmpty();
        credentials.Element(Ns + "SessionToken")!.Value.Should().NotBeEmpty();
        credentials.Element(Ns + "Expiration")!.Value.Should().Be("2026-01-01T02:00:00Z", "DurationSeconds is honoured");
        result.Element(Ns + "AssumedRoleUser")!.Element(Ns + "Arn")!.Value.Should().Be("arn:aws:sts::123456789012:assumed-role/EmulatorRole/demo");
        result.Element(Ns + "AssumedRoleUser")!.Element(Ns + "AssumedRoleId")!.Value.Should().StartWith("AROA").And.EndWith(":demo");
        ctx.Emulator.Stats.Aws.StsAssumeRole.Should().Be(1);
        ctx.Emulator.Stats.StsRequests.Should().Be(0, "AWS STS calls are counted apart from Alibaba STS");
    }

    [Fact]
    public async Task AssumeRole_WithoutDuration_LivesAnHourAtMost()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.CredentialLifetime = TimeSpan.FromMinutes(20));

        XElement result = await ExpectResultAsync(ctx, await SignedAsync(ctx, AssumeRole()), "AssumeRole");

        result.Element(Ns + "Credentials")!.Element(Ns + "Expiration")!.Value.Should().Be("2026-01-01T00:20:00Z");
    }

    [Theory]
    [InlineData("899")]
    [InlineData("43201")]
    [InlineData("abc")]
    public async Task AssumeRole_DurationOutOfRange_ValidationError(string duration)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        await ExpectErrorAsync(ctx, await SignedAsync(ctx, AssumeRole(durationSeconds: duration)), HttpStatusCode.BadRequest, "ValidationError");
    }

    [Theory]
    [InlineData("acs:ram::1234567890123456:role/x", "demo")]
    [InlineData(RoleArn, "a")]
    [InlineData(RoleArn, "bad name")]
    [InlineData("", "demo")]
    public async Task AssumeRole_BadRoleArnOrSessionName_ValidationError(string roleArn, string session)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        await ExpectErrorAsync(ctx, await SignedAsync(ctx, AssumeRole(roleArn, session)), HttpStatusCode.BadRequest, "ValidationError");
    }

    [Fact]
    public async Task ChainedAssumeRole_SignedWithImdsCredentials_Works()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        var imds = await AwsImdsEmulatorTests.CredentialsAsync(ctx);

        using HttpRequestMessage request = await SignedAsync(
            ctx, AssumeRole(), imds["AccessKeyId"]!.GetValue<string>(), imds["SecretAccessKey"]!.GetValue<string>(), imds["Token"]!.GetValue<string>());

        await ExpectResultAsync(ctx, request, "AssumeRole");
    }

    [Fact]
    public async Task GetCallerIdentity_SignedWithContainerCredentials_NamesTheTaskRole()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        var container = await AwsContainerEmulatorTests.CredentialsAsync(ctx);

        using HttpRequestMessage request = await SignedAsync(
            ctx,
            [new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")],
            container["AccessKeyId"]!.GetValue<string>(),
            container["SecretAccessKey"]!.GetValue<string>(),
            container["Token"]!.GetValue<string>());
        XElement identity = await ExpectResultAsync(ctx, request, "GetCallerIdentity");

        Value(identity, "Arn").Should().Be("arn:aws:sts::123456789012:assumed-role/EmulatorTaskRole/emulator-task");
    }

    [Fact]
    public async Task ChainedAssumeRole_SignedWithStsCredentials_ThenGetCallerIdentityNamesTheRole()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        XElement first = (await ExpectResultAsync(ctx, await SignedAsync(ctx, AssumeRole(session: "first")), "AssumeRole")).Element(Ns + "Credentials")!;

        using HttpRequestMessage request = await SignedAsync(
            ctx, [new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")], Value(first, "AccessKeyId"), Value(first, "SecretAccessKey"), Value(first, "SessionToken"));
        XElement identity = await ExpectResultAsync(ctx, request, "GetCallerIdentity");

        Value(identity, "Arn").Should().Be("arn:aws:sts::123456789012:assumed-role/EmulatorRole/first");
        Value(identity, "UserId").Should().StartWith("AROA").And.EndWith(":first");
        Value(identity, "Account").Should().Be("123456789012");
    }

    [Fact]
    public async Task GetCallerIdentity_WithDemoKey_AnswersIamUser()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        XElement identity = await ExpectResultAsync(ctx, await SignedAsync(ctx, [new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]), "GetCallerIdentity");

        Value(identity, "Arn").Should().Be("arn:aws:iam::123456789012:user/emulator-user");
        Value(identity, "UserId").Should().StartWith("AIDA");
        ctx.Emulator.Stats.Aws.StsGetCallerIdentity.Should().Be(1);
    }

    [Fact]
    public async Task WrongSecret_SignatureDoesNotMatchWithStringToSignAndNoSecrets()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        var imds = await AwsImdsEmulatorTests.CredentialsAsync(ctx);
        string token = imds["Token"]!.GetValue<string>();

        using HttpRequestMessage request = await SignedAsync(ctx, AssumeRole(), imds["AccessKeyId"]!.GetValue<string>(), "wrong-secret", token);
        string body = await ExpectErrorAsync(ctx, request, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");

        body.Should().Contain("The String-to-Sign should have been").And.Contain("AWS4-HMAC-SHA256\n20260101T000000Z\n20260101/us-east-1/sts/aws4_request\n");
        body.Should().Contain("x-amz-security-token:&lt;redacted&gt;").And.NotContain(token).And.NotContain(imds["SecretAccessKey"]!.GetValue<string>());
        ctx.Emulator.Stats.Aws.SignatureFailures.Should().Be(1);
    }

    [Fact]
    public async Task BodyTamperedAfterSigning_SignatureDoesNotMatch()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = await SignedAsync(ctx, AssumeRole(session: "one"));
        request.Content = new FormUrlEncodedContent(AssumeRole(session: "two"));

        await ExpectErrorAsync(ctx, request, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task SignedHeaderTamperedAfterSigning_SignatureDoesNotMatch()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = await SignedAsync(ctx, AssumeRole());
        TestSigners.Set(request, "X-Amz-Date", "20260101T000001Z");

        await ExpectErrorAsync(ctx, request, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task ClockMovedTwentyMinutesAfterSigning_SignatureExpired()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = await SignedAsync(ctx, AssumeRole());
        ctx.Time.Advance(TimeSpan.FromMinutes(20));

        string body = await ExpectErrorAsync(ctx, request, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");

        body.Should().Contain("Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z (20260101T002000Z - 15 min.)");
    }

    [Fact]
    public async Task DateTwentyMinutesAhead_SignatureNotYetCurrent()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(AssumeRole()) };
        await TestSigners.SignV4Async(request, ctx.Emulator.BaseAddress, EmulatorTestContext.Start.AddMinutes(20));

        string body = await ExpectErrorAsync(ctx, request, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");

        body.Should().Contain("Signature not yet current");
    }

    [Fact]
    public async Task WrongServiceInScope_SignatureDoesNotMatch()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(AssumeRole()) };
        await TestSigners.SignV4Async(request, ctx.Emulator.BaseAddress, ctx.Time.GetUtcNow(), service: "iam");

        string body = await ExpectErrorAsync(ctx, request, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");

        body.Should().Contain("Credential should be scoped to correct service: 'sts'");
    }

    [Fact]
    public async Task AnyRegionInScope_IsAccepted()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(AssumeRole()) };
        await TestSigners.SignV4Async(request, ctx.Emulator.BaseAddress, ctx.Time.GetUtcNow(), region: "eu-west-1");

        await ExpectResultAsync(ctx, request, "AssumeRole");
    }

    [Fact]
    public async Task UnknownKey_InvalidClientTokenId()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        await ExpectErrorAsync(ctx, await SignedAsync(ctx, AssumeRole(), "AKIAUNKNOWN000000000", "x"), HttpStatusCode.Forbidden, "InvalidClientTokenId");
    }

    [Fact]
    public async Task IssuedKeyWithoutSessionToken_InvalidClientTokenId()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        var imds = await AwsImdsEmulatorTests.CredentialsAsync(ctx);

        using HttpRequestMessage request = await SignedAsync(ctx, AssumeRole(), imds["AccessKeyId"]!.GetValue<string>(), imds["SecretAccessKey"]!.GetValue<string>());

        await ExpectErrorAsync(ctx, request, HttpStatusCode.Forbidden, "InvalidClientTokenId");
    }

    [Fact]
    public async Task ExpiredSessionToken_ExpiredToken()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.CredentialLifetime = TimeSpan.FromMinutes(10));
        var container = await AwsContainerEmulatorTests.CredentialsAsync(ctx);
        ctx.Time.Advance(TimeSpan.FromMinutes(11));

        using HttpRequestMessage request = await SignedAsync(
            ctx, AssumeRole(), container["AccessKeyId"]!.GetValue<string>(), container["SecretAccessKey"]!.GetValue<string>(), container["Token"]!.GetValue<string>());

        await ExpectErrorAsync(ctx, request, HttpStatusCode.Forbidden, "ExpiredToken");
    }

    [Fact]
    public async Task Unsigned_AssumeRole_MissingAuthenticationToken()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(AssumeRole()) };

        await ExpectErrorAsync(ctx, request, HttpStatusCode.Forbidden, "MissingAuthenticationToken");
    }

    [Fact]
    public async Task UnknownAction_InvalidAction()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        await ExpectErrorAsync(ctx, await SignedAsync(ctx, [new("Action", "GetSessionToken"), new("Version", "2011-06-15")]), HttpStatusCode.BadRequest, "InvalidAction");
    }
}
