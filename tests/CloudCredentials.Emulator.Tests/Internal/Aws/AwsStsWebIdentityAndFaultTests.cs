using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using CloudCredentials.Emulator.Tests.TestSupport;

namespace CloudCredentials.Emulator.Tests.Internal.Aws;

public class AwsStsWebIdentityAndFaultTests
{
    private static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    [Fact]
    public async Task AssumeRoleWithWebIdentity_Unsigned_AnswersCredentialsXml()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        XElement result = await AwsStsCalls.ExpectResultAsync(ctx, WebIdentity("eyJhbGciOi.fake.jwt"), "AssumeRoleWithWebIdentity");

        result.Element(Ns + "Credentials")!.Element(Ns + "SessionToken")!.Value.Should().NotBeEmpty();
        result.Element(Ns + "Credentials")!.Element(Ns + "Expiration")!.Value.Should().Be("2026-01-01T00:15:00Z");
        AwsStsCalls.Value(result, "Provider").Should().NotBeEmpty();
        ctx.Emulator.Stats.Aws.StsAssumeRoleWithWebIdentity.Should().Be(1);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_ConfiguredToken_OtherTokenIsInvalidIdentityToken()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.Aws.WebIdentityToken = "expected-token");

        await AwsStsCalls.ExpectResultAsync(ctx, WebIdentity("expected-token"), "AssumeRoleWithWebIdentity");
        string body = await AwsStsCalls.ExpectErrorAsync(ctx, WebIdentity("other-token"), HttpStatusCode.BadRequest, "InvalidIdentityToken");

        body.Should().NotContain("other-token").And.NotContain("expected-token");
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_MissingToken_ValidationError()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        await AwsStsCalls.ExpectErrorAsync(ctx, WebIdentity(token: null), HttpStatusCode.BadRequest, "ValidationError");
    }

    [Theory]
    [InlineData(403, "AccessDenied")]
    [InlineData(400, "ExpiredTokenException")]
    [InlineData(400, "Throttling")]
    [InlineData(500, "InternalFailure")]
    public async Task AwsErrorFault_IsPlayedAsErrorXml(int status, string code)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.AwsSts, EmulatorFault.AwsError(status, code, "injected"));

        await AwsStsCalls.ExpectErrorAsync(ctx, await AwsStsCalls.SignedAsync(ctx, AwsStsCalls.AssumeRole()), (HttpStatusCode)status, code);
        await AwsStsCalls.ExpectResultAsync(ctx, await AwsStsCalls.SignedAsync(ctx, AwsStsCalls.AssumeRole()), "AssumeRole");

        ctx.Emulator.Stats.Aws.StsErrors.Should().Be(0, "injected faults are not the emulator's own refusals");
        ctx.Emulator.Stats.FaultsServed.Should().Be(1);
    }

    [Fact]
    public async Task MalformedXmlFault_IsSentAs200()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.AwsSts, EmulatorFault.Status(200, "<AssumeRoleResponse><AssumeRoleResult><Credentials>", "text/xml"));

        using HttpResponseMessage response = await ctx.Client.SendAsync(WebIdentity("token-value"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        Action parse = () => XElement.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        parse.Should().Throw<System.Xml.XmlException>();
    }

    [Fact]
    public async Task ControlApi_AwsServiceWithCode_QueuesAnAwsErrorFault()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using (HttpResponseMessage queued = await ctx.Client.PostAsJsonAsync("/_emulator/faults", new { service = "AwsSts", status = 400, code = "Throttling", message = "Rate exceeded" }))
        {
            queued.StatusCode.Should().Be(HttpStatusCode.OK);
            (await queued.Content.ReadAsStringAsync()).Should().Contain("AwsError(400, Throttling)");
        }

        await AwsStsCalls.ExpectErrorAsync(ctx, WebIdentity("token-value"), HttpStatusCode.BadRequest, "Throttling");
    }

    [Fact]
    public async Task ControlApi_Stats_IncludeAwsCountersWithoutSecrets()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        var imds = await AwsImdsEmulatorTests.CredentialsAsync(ctx);
        using (HttpRequestMessage request = WebIdentity("web-identity-secret"))
        using (await ctx.Client.SendAsync(request))
        {
        }

        string stats = await ctx.Client.GetStringAsync("/_emulator/stats");

        stats.Should().Contain("\"imdsTokenPuts\":1").And.Contain("\"imdsCredentialsGets\":1").And.Contain("\"stsAssumeRoleWithWebIdentity\":1");
        stats.Should().NotContain("web-identity-secret").And.NotContain(imds["SecretAccessKey"]!.GetValue<string>()).And.NotContain(imds["Token"]!.GetValue<string>());
        ctx.Emulator.Stats.Reset();
        ctx.Emulator.Stats.Aws.ImdsTokenPuts.Should().Be(0);
    }

    [Fact]
    public async Task RequestLog_NeverContainsAwsSecrets()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        var imds = await AwsImdsEmulatorTests.CredentialsAsync(ctx);
        var container = await AwsContainerEmulatorTests.CredentialsAsync(ctx);
        XElement sts = await AwsStsCalls.ExpectResultAsync(ctx, await AwsStsCalls.SignedAsync(ctx, AwsStsCalls.AssumeRole()), "AssumeRole");
        await AwsStsCalls.ExpectErrorAsync(
            ctx, await AwsStsCalls.SignedAsync(ctx, AwsStsCalls.AssumeRole(), imds["AccessKeyId"]!.GetValue<string>(), "bad", imds["Token"]!.GetValue<string>()),
            HttpStatusCode.Forbidden,
            "SignatureDoesNotMatch");

        string log;
        lock (ctx.RequestLog)
        {
            log = string.Join('\n', ctx.RequestLog);
        }

        log.Should().Contain("AWS STS AssumeRole").And.Contain("AWS IMDS credentials").And.Contain("AWS container");
        string[] secrets =
        [
            imds["SecretAccessKey"]!.GetValue<string>(), imds["Token"]!.GetValue<string>(),
            container["SecretAccessKey"]!.GetValue<string>(), container["Token"]!.GetValue<string>(),
            AwsStsCalls.Value(sts.Element(Ns + "Credentials")!, "SecretAccessKey"), AwsStsCalls.Value(sts.Element(Ns + "Credentials")!, "SessionToken"),
            AwsEmulatorOptions.DefaultSecretAccessKey, AwsEmulatorOptions.DefaultContainerAuthorizationToken,
        ];
        foreach (string secret in secrets)
        {
            log.Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task AlibabaStsAtTheSameRoot_StillAnswersItsOwnProtocol()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent([new("Action", "AssumeRole"), new("Version", "2015-04-01")]) };

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        ctx.Emulator.Stats.StsRequests.Should().Be(1);
        ctx.Emulator.Stats.Aws.StsRequests.Should().Be(0);
    }

    private static HttpRequestMessage WebIdentity(string? token)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("Action", "AssumeRoleWithWebIdentity"),
            new("Version", "2011-06-15"),
            new("RoleArn", AwsStsCalls.RoleArn),
            new("RoleSessionName", "web"),
            new("DurationSeconds", "900"),
        ];
        if (token is not null)
        {
            form.Add(new("WebIdentityToken", token));
        }

        return new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(form) };
    }
}
