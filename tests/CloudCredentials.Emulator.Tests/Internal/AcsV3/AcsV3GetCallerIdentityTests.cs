using System.Net;
using System.Text.Json.Nodes;
using CloudCredentials.Emulator.Tests.TestSupport;

namespace CloudCredentials.Emulator.Tests.Internal.AcsV3;

public class AcsV3GetCallerIdentityTests
{
    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    public async Task SignedWithDemoKey_AnswersRamUserIdentity(string method)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await SendAsync(ctx, await SignedAsync(ctx, new HttpMethod(method)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonObject json = await EmulatorTestContext.ReadJsonAsync(response);
        json["IdentityType"]!.GetValue<string>().Should().Be("RAMUser");
        json["AccountId"]!.GetValue<string>().Should().Be("1234567890123456");
        json["Arn"]!.GetValue<string>().Should().Be("acs:ram::1234567890123456:user/emulator-user");
        json["PrincipalId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        json["UserId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        json["RequestId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        ctx.Emulator.Stats.StsGetCallerIdentity.Should().Be(1);
        ctx.Emulator.Stats.LastStsAction.Should().Be("GetCallerIdentity");
    }

    [Fact]
    public async Task SignedWithEcsRoleCredential_AnswersAssumedRoleIdentity()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        JsonObject credential = await EcsCredentialAsync(ctx);

        using HttpRequestMessage request = await SignedAsync(
            ctx,
            HttpMethod.Post,
            credential["AccessKeyId"]!.GetValue<string>(),
            credential["AccessKeySecret"]!.GetValue<string>(),
            credential["SecurityToken"]!.GetValue<string>());
        using HttpResponseMessage response = await SendAsync(ctx, request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonObject json = await EmulatorTestContext.ReadJsonAsync(response);
        json["IdentityType"]!.GetValue<string>().Should().Be("AssumedRoleUser");
        json["Arn"]!.GetValue<string>().Should().StartWith("acs:ram::1234567890123456:assumed-role/EmulatorRole/");
        json["PrincipalId"]!.GetValue<string>().Should().Contain(":");
    }

    [Fact]
    public async Task StsKeyWithoutSecurityToken_IsRefused()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        JsonObject credential = await EcsCredentialAsync(ctx);

        using HttpRequestMessage request = await SignedAsync(
            ctx, HttpMethod.Post, credential["AccessKeyId"]!.GetValue<string>(), credential["AccessKeySecret"]!.GetValue<string>());

        await ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "MissingSecurityToken");
    }

    [Fact]
    public async Task ExpiredStsKey_IsRefused()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.CredentialLifetime = TimeSpan.FromMinutes(5));
        JsonObject credential = await EcsCredentialAsync(ctx);
        ctx.Time.Advance(TimeSpan.FromMinutes(6));

        using HttpRequestMessage request = await SignedAsync(
            ctx,
            HttpMethod.Post,
            credential["AccessKeyId"]!.GetValue<string>(),
            credential["AccessKeySecret"]!.GetValue<string>(),
            credential["SecurityToken"]!.GetValue<string>());

        await ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "InvalidSecurityToken.Expired");
    }

    [Fact]
    public async Task WrongSecret_SignatureDoesNotMatchWithServerStringToSignAndNoSecret()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = await SignedAsync(ctx, HttpMethod.Post, secret: "WrongSecret");

        JsonObject json = await ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "SignatureDoesNotMatch");

        string message = json["Message"]!.GetValue<string>();
        message.Should().Contain("server string to sign is:ACS3-HMAC-SHA256\n").And.Contain("x-acs-action:GetCallerIdentity");
        message.Should().NotContain(EmulatorOptions.DefaultAccessKeySecret).And.NotContain("WrongSecret");
        ctx.Emulator.Stats.SignatureFailures.Should().Be(1);
    }

    [Fact]
    public async Task StsKeyWithWrongSecret_ErrorRedactsTheSecurityToken()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        JsonObject credential = await EcsCredentialAsync(ctx);
        string token = credential["SecurityToken"]!.GetValue<string>();

        using HttpRequestMessage request = await SignedAsync(ctx, HttpMethod.Post, credential["AccessKeyId"]!.GetValue<string>(), "wrong", token);
        JsonObject json = await ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "SignatureDoesNotMatch");

        json.ToJsonString().Should().NotContain(token).And.NotContain(credential["AccessKeySecret"]!.GetValue<string>());
        json["Message"]!.GetValue<string>().Should().Contain("x-acs-security-token:<redacted>");
    }

    [Theory]
    [InlineData("x-acs-signature-nonce", "tampered-nonce")]
    [InlineData("x-acs-date", "2026-01-01T00:00:01Z")]
    [InlineData("x-acs-accesskey-id", "added-after-signing")]
    public async Task HeaderTamperedAfterSigning_SignatureDoesNotMatch(string header, string value)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = await SignedAsync(ctx, HttpMethod.Post);
        TestSigners.Set(request, header, value);

        await ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task UnsignedXAcsHeaderAdded_ErrorNamesTheSignedHeaderDifference()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = await SignedAsync(ctx, HttpMethod.Post);
        request.Headers.Add("x-acs-retry-attempts", "1");

        JsonObject json = await ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "SignatureDoesNotMatch");

        json["Message"]!.GetValue<string>().Should().Contain("x-acs-retry-attempts").And.Contain("the request declares SignedHeaders=host;");
    }

    [Fact]
    public async Task BodyTamperedAfterSigning_ContentHashMismatchRefused()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = await SignedAsync(ctx, HttpMethod.Post, body: "a=1");
        request.Content = new StringContent("a=2", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        JsonObject json = await ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "SignatureDoesNotMatch");

        json["Message"]!.GetValue<string>().Should().Contain("x-acs-content-sha256");
    }

    [Theory]
    [InlineData(-20)]
    [InlineData(20)]
    public async Task DateOutsideFifteenMinutes_IsExpired(int minutes)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = await SignedAsync(ctx, HttpMethod.Post, date: EmulatorTestContext.Start.AddMinutes(minutes));

        await ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "InvalidTimeStamp.Expired");
    }

    [Fact]
    public async Task ClockMovedTwentyMinutesAfterSigning_IsExpired()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = await SignedAsync(ctx, HttpMethod.Post);
        ctx.Time.Advance(TimeSpan.FromMinutes(20));

        await ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "InvalidTimeStamp.Expired");
    }

    [Fact]
    public async Task ReusedNonce_IsRefusedForTheSameKeyOnly()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.AccessKeys["LTAIOtherKey"] = "OtherSecret");
        using (HttpResponseMessage first = await SendAsync(ctx, await SignedAsync(ctx, HttpMethod.Post, nonce: "n-1")))
        {
            first.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using HttpRequestMessage other = await SignedAsync(ctx, HttpMethod.Post, "LTAIOtherKey", "OtherSecret", nonce: "n-1");
        using (HttpResponseMessage otherKey = await SendAsync(ctx, other))
        {
            otherKey.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await ExpectErrorAsync(ctx, await SignedAsync(ctx, HttpMethod.Post, nonce: "n-1"), HttpStatusCode.BadRequest, "SignatureNonceUsed");
    }

    [Fact]
    public async Task RejectedSignature_DoesNotSpendTheNonce()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        await ExpectErrorAsync(ctx, await SignedAsync(ctx, HttpMethod.Post, secret: "bad", nonce: "n-2"), HttpStatusCode.BadRequest, "SignatureDoesNotMatch");

        using HttpResponseMessage response = await SendAsync(ctx, await SignedAsync(ctx, HttpMethod.Post, nonce: "n-2"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnknownAccessKey_NotFound()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        await ExpectErrorAsync(ctx, await SignedAsync(ctx, HttpMethod.Post, "LTAIUnknown", "x"), HttpStatusCode.NotFound, "InvalidAccessKeyId.NotFound");
    }

    [Theory]
    [InlineData("AssumeRole", "2015-04-01", "InvalidAction.NotFound")]
    [InlineData("GetCallerIdentity", "2014-05-26", "InvalidVersion")]
    public async Task WrongActionOrVersion_IsRefused(string action, string version, string code)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/");
        await TestSigners.SignV3Async(request, ctx.Emulator.BaseAddress, ctx.Time.GetUtcNow(), action: action, version: version);

        await ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task MissingDateHeader_IsRefusedAsMissingParameter()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = await SignedAsync(ctx, HttpMethod.Post);
        request.Headers.Remove("x-acs-date");

        JsonObject json = await ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "MissingParameter");

        json["Message"]!.GetValue<string>().Should().Contain("x-acs-date");
    }

    [Fact]
    public async Task BearerToken_IsNotSupportedBySts()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/");
        request.Headers.Add("x-acs-action", "GetCallerIdentity");
        request.Headers.Add("x-acs-version", "2015-04-01");
        request.Headers.Add("x-acs-bearer-token", EmulatorOptions.DefaultBearerToken);
        request.Headers.Add("x-acs-signature-type", "BEARERTOKEN");

        await ExpectErrorAsync(ctx, request, HttpStatusCode.Forbidden, "UnsupportedSignatureType");
    }

    [Fact]
    public async Task InjectedStsV3Fault_IsPlayedBeforeVerification()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.StsV3, EmulatorFault.StsError(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."));

        await ExpectErrorAsync(ctx, await SignedAsync(ctx, HttpMethod.Post), HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        using HttpResponseMessage retry = await SendAsync(ctx, await SignedAsync(ctx, HttpMethod.Post));

        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        ctx.Emulator.Stats.StsGetCallerIdentity.Should().Be(2);
    }

    [Fact]
    public async Task InjectedStsFault_IsScopedToRpcCalls()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.StsError(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."), count: 5);

        using HttpResponseMessage response = await SendAsync(ctx, await SignedAsync(ctx, HttpMethod.Post));

        response.StatusCode.Should().Be(HttpStatusCode.OK, "an STS (AssumeRole) outage does not stop V3 calls signed with a cached credential");
        ctx.Emulator.Stats.FaultsServed.Should().Be(0);
    }

    internal static async Task<HttpRequestMessage> SignedAsync(
        EmulatorTestContext ctx,
        HttpMethod method,
        string accessKeyId = EmulatorOptions.DefaultAccessKeyId,
        string secret = EmulatorOptions.DefaultAccessKeySecret,
        string? securityToken = null,
        string? nonce = null,
        DateTimeOffset? date = null,
        string? body = null)
    {
        var request = new HttpRequestMessage(method, "/");
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        return await TestSigners.SignV3Async(request, ctx.Emulator.BaseAddress, date ?? ctx.Time.GetUtcNow(), accessKeyId, secret, securityToken, nonce: nonce);
    }

    internal static async Task<HttpResponseMessage> SendAsync(EmulatorTestContext ctx, HttpRequestMessage request)
    {
        using (request)
        {
            return await ctx.Client.SendAsync(request);
        }
    }

    internal static async Task<JsonObject> ExpectErrorAsync(EmulatorTestContext ctx, HttpRequestMessage request, HttpStatusCode status, string code)
    {
        using HttpResponseMessage response = await SendAsync(ctx, request);
        response.StatusCode.Should().Be(status);
        JsonObject json = await EmulatorTestContext.ReadJsonAsync(response);
        json["Code"]!.GetValue<string>().Should().Be(code);
        return json;
    }

    internal static async Task<JsonObject> EcsCredentialAsync(EmulatorTestContext ctx)
    {
        using HttpResponseMessage response = await ctx.GetMetadataAsync("/latest/meta-data/ram/security-credentials/EmulatorRole", await ctx.PutTokenAsync());
        return await EmulatorTestContext.ReadJsonAsync(response);
    }
}
