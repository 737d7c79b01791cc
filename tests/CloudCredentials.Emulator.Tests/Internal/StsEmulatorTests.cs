using System.Net;
using System.Text.Json.Nodes;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Emulator;
using CloudCredentials.Emulator.Tests.TestSupport;

namespace CloudCredentials.Emulator.Tests.Internal;

public class StsEmulatorTests
{
    [Fact]
    public async Task AssumeRole_SignedPost_ReturnsCredentialsPerSpec()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow()), StsRequestFactory.AssumeRoleParameters(durationSeconds: 900));

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        JsonObject json = await EmulatorTestContext.ReadJsonAsync(response);
        json["RequestId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        json["AssumedRoleUser"]!["Arn"]!.GetValue<string>().Should().Be("acs:ram::1234567890123456:assumed-role/emulatorrole/emulator-test");
        JsonNode credentials = json["Credentials"]!;
        credentials["AccessKeyId"]!.GetValue<string>().Should().StartWith("STS.");
        credentials["AccessKeySecret"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        credentials["SecurityToken"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        credentials["Expiration"]!.GetValue<string>().Should().Be("2026-01-01T00:15:00Z");
        ctx.Emulator.Stats.StsAssumeRole.Should().Be(1);
        ctx.Emulator.Stats.LastStsMethod.Should().Be("POST");
        ctx.Emulator.Stats.LastStsFormParameters.Should().ContainKey("RoleArn");
        ctx.Emulator.Stats.LastStsQueryParameters.Should().ContainKey("Signature").And.NotContainKey("RoleArn");
        ctx.Emulator.Stats.LastStsParameters["RoleSessionName"].Should().Be("emulator-test");
    }

    [Fact]
    public async Task AssumeRole_DurationLongerThanLifetime_ExpiresAtLifetime()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.CredentialLifetime = TimeSpan.FromMinutes(20));
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow()), StsRequestFactory.AssumeRoleParameters(durationSeconds: 3600));

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        (await EmulatorTestContext.ReadJsonAsync(response))["Credentials"]!["Expiration"]!.GetValue<string>().Should().Be("2026-01-01T00:20:00Z");
    }

    [Fact]
    public async Task AssumeRole_SignedGetWithAllParametersInQuery_Accepted()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Get, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow()), StsRequestFactory.AssumeRoleParameters());

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        ctx.Emulator.Stats.LastStsMethod.Should().Be("GET");
    }

    [Fact]
    public async Task AssumeRole_PolicyWithSpacesAndStars_SignatureVerified()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        const string policy = """{"Statement": [{"Action": ["*"],"Effect": "Allow","Resource": ["*"]}],"Version":"1"}""";
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow()), StsRequestFactory.AssumeRoleParameters(policy: policy));

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AssumeRole_SpecWorkedExample_AcceptsPublishedSignature()
    {
        // §3.5 worked AssumeRole example: an independent check of the verifier, not derived from RpcSigner.
        // Its Timestamp is from 2016, so the skew check is switched off.
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o =>
        {
            o.AccessKeys["testid"] = "testsecret";
            o.MaxTimestampSkew = null;
        });
        var common = new List<KeyValuePair<string, string>>
        {
            new("AccessKeyId", "testid"), new("Action", "AssumeRole"), new("Format", "JSON"), new("SignatureMethod", "HMAC-SHA1"),
            new("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"), new("SignatureVersion", "1.0"),
            new("Timestamp", "2016-02-23T12:46:24Z"), new("Version", "2015-04-01"),
        };
        var api = new List<KeyValuePair<string, string>>
        {
            new("DurationSeconds", "3600"),
            new("Policy", """{"Statement": [{"Action": ["*"],"Effect": "Allow","Resource": ["*"]}],"Version":"1"}"""),
            new("RoleArn", "acs:ram::123456789012****:role/adminrole"),
            new("RoleSessionName", "credentials-csharp-test"),
        };

        using HttpRequestMessage get = StsRequestFactory.Build(HttpMethod.Get, common, api, "HG2mTeNGOC4B60sK0/5ktvAogDc=");
        using HttpResponseMessage getResponse = await ctx.Client.SendAsync(get);
        using HttpRequestMessage post = StsRequestFactory.Build(HttpMethod.Post, common, api, "TrIERFG5TAfHh1VG3LmpbNXl4Qg=");
        using HttpResponseMessage postResponse = await ctx.Client.SendAsync(post);

        getResponse.StatusCode.Should().Be(HttpStatusCode.OK, await getResponse.Content.ReadAsStringAsync());
        // Same nonce: the nonce is only checked once the signature matched, so this code proves the POST signature was accepted.
        (await ErrorCodeAsync(postResponse, HttpStatusCode.BadRequest)).Should().Be("SignatureNonceUsed");
    }

    [Fact]
    public async Task AssumeRole_BadSignature_SignatureDoesNotMatchWithServerStringToSign()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        List<KeyValuePair<string, string>> common = StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow());
        List<KeyValuePair<string, string>> api = StsRequestFactory.AssumeRoleParameters();
        using HttpRequestMessage request = StsRequestFactory.Signed(HttpMethod.Post, common, api, secret: "wrong-secret");

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonObject json = await EmulatorTestContext.ReadJsonAsync(response);
        json["Code"]!.GetValue<string>().Should().Be("SignatureDoesNotMatch");
        json["Message"]!.GetValue<string>().Should().Be(
            "Specified signature is not matched with our calculation. server string to sign is:" + RpcSigner.StringToSign("POST", [.. common, .. api]));
        json["RequestId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        json["HostId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        json["Recommend"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        ctx.Emulator.Stats.SignatureFailures.Should().Be(1);
        ctx.Emulator.Stats.LastStsErrorCode.Should().Be("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task AssumeRole_SignedForGetButSentAsPost_SignatureDoesNotMatch()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow()), StsRequestFactory.AssumeRoleParameters(), signingMethod: "GET");

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        (await ErrorCodeAsync(response, HttpStatusCode.BadRequest)).Should().Be("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task AssumeRole_UnknownAccessKeyId_Returns404InvalidAccessKeyIdNotFound()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow(), accessKeyId: "LTAIUnknown"), StsRequestFactory.AssumeRoleParameters());

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        (await ErrorCodeAsync(response, HttpStatusCode.NotFound)).Should().Be("InvalidAccessKeyId.NotFound");
    }

    [Fact]
    public async Task AssumeRole_NonceReused_SignatureNonceUsed()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        List<KeyValuePair<string, string>> common = StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow(), nonce: "fixed-nonce");

        using HttpRequestMessage first = StsRequestFactory.Signed(HttpMethod.Post, common, StsRequestFactory.AssumeRoleParameters());
        using HttpResponseMessage firstResponse = await ctx.Client.SendAsync(first);
        using HttpRequestMessage replay = StsRequestFactory.Signed(HttpMethod.Post, common, StsRequestFactory.AssumeRoleParameters());
        using HttpResponseMessage replayResponse = await ctx.Client.SendAsync(replay);

        firstResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ErrorCodeAsync(replayResponse, HttpStatusCode.BadRequest)).Should().Be("SignatureNonceUsed");
    }

    public static TheoryData<string, int?, string> InvalidApiParameters => new()
    {
        { string.Empty, 3600, "MissingRoleArn" },
        { "not-an-arn", 3600, "InvalidParameter.RoleArn" },
        { StsRequestFactory.RoleArn, 899, "InvalidParameter.DurationSeconds" },
        { StsRequestFactory.RoleArn, 43201, "InvalidParameter.DurationSeconds" },
    };

    [Theory]
    [MemberData(nameof(InvalidApiParameters))]
    public async Task AssumeRole_InvalidApiParameter_Returns400WithCode(string roleArn, int? duration, string expectedCode)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow()), StsRequestFactory.AssumeRoleParameters(roleArn, durationSeconds: duration));

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        (await ErrorCodeAsync(response, HttpStatusCode.BadRequest)).Should().Be(expectedCode);
    }

    [Fact]
    public async Task AssumeRole_MissingSessionName_MissingRoleSessionName()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow()), StsRequestFactory.AssumeRoleParameters(sessionName: string.Empty));

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        (await ErrorCodeAsync(response, HttpStatusCode.BadRequest)).Should().Be("MissingRoleSessionName");
    }

    [Fact]
    public async Task AssumeRole_MissingTimestamp_MissingTimestamp()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        List<KeyValuePair<string, string>> common = StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow());
        common.RemoveAll(p => p.Key == "Timestamp");
        using HttpRequestMessage request = StsRequestFactory.Signed(HttpMethod.Post, common, StsRequestFactory.AssumeRoleParameters());

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        (await ErrorCodeAsync(response, HttpStatusCode.BadRequest)).Should().Be("MissingTimestamp");
    }

    [Fact]
    public async Task AssumeRole_TimestampOutsideSkew_InvalidTimeStampExpired()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow() - TimeSpan.FromMinutes(16)), StsRequestFactory.AssumeRoleParameters());

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        (await ErrorCodeAsync(response, HttpStatusCode.BadRequest)).Should().Be("InvalidTimeStamp.Expired");
    }

    [Fact]
    public async Task AssumeRole_ChainedWithIssuedStsKey_SucceedsUntilThatKeyExpires()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        JsonNode first = await AssumeRoleAsync(ctx, EmulatorOptions.DefaultAccessKeyId, EmulatorOptions.DefaultAccessKeySecret, securityToken: null, durationSeconds: 900);
        string id = first["AccessKeyId"]!.GetValue<string>();
        string secret = first["AccessKeySecret"]!.GetValue<string>();
        string token = first["SecurityToken"]!.GetValue<string>();

        JsonNode chained = await AssumeRoleAsync(ctx, id, secret, token, durationSeconds: 3600);

        chained["AccessKeyId"]!.GetValue<string>().Should().NotBe(id);

        using HttpRequestMessage withoutToken = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow(), id), StsRequestFactory.AssumeRoleParameters(), secret);
        using HttpResponseMessage withoutTokenResponse = await ctx.Client.SendAsync(withoutToken);
        (await ErrorCodeAsync(withoutTokenResponse, HttpStatusCode.BadRequest)).Should().Be("MissingSecurityToken");

        ctx.Time.Advance(TimeSpan.FromSeconds(900));
        using HttpRequestMessage expired = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow(), id, token), StsRequestFactory.AssumeRoleParameters(), secret);
        using HttpResponseMessage expiredResponse = await ctx.Client.SendAsync(expired);
        (await ErrorCodeAsync(expiredResponse, HttpStatusCode.BadRequest)).Should().Be("InvalidSecurityToken.Expired");
    }

    [Fact]
    public async Task AssumeRole_PermanentKeyWithSecurityToken_MismatchWithAccessKey()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post,
            StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow(), securityToken: "stale-token"),
            StsRequestFactory.AssumeRoleParameters());

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        (await ErrorCodeAsync(response, HttpStatusCode.BadRequest)).Should().Be("InvalidSecurityToken.MismatchWithAccessKey");
    }

    [Fact]
    public async Task UnknownAction_InvalidActionNotFound()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow(), action: "GetCallerIdentity"), []);

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        (await ErrorCodeAsync(response, HttpStatusCode.BadRequest)).Should().Be("InvalidAction.NotFound");
    }

    [Fact]
    public async Task AssumeRoleWithOidc_UnsignedFormBody_ReturnsCredentialsAndTokenInfo()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        string jwt = Base64Url("{\"alg\":\"none\"}") + "." + Base64Url("{\"sub\":\"system:serviceaccount:ns:app\",\"iss\":\"https://issuer.example\",\"aud\":[\"sts.aliyuncs.com\"],\"iat\":1767225600,\"exp\":1767229200}") + ".sig";

        using HttpResponseMessage response = await OidcAsync(ctx, jwt);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        JsonObject json = await EmulatorTestContext.ReadJsonAsync(response);
        json["Credentials"]!["AccessKeyId"]!.GetValue<string>().Should().StartWith("STS.");
        json["Credentials"]!["Expiration"]!.GetValue<string>().Should().Be("2026-01-01T01:00:00Z");
        json["OIDCTokenInfo"]!["Subject"]!.GetValue<string>().Should().Be("system:serviceaccount:ns:app");
        json["OIDCTokenInfo"]!["ClientIds"]!.GetValue<string>().Should().Be("sts.aliyuncs.com");
        json["OIDCTokenInfo"]!["IssuanceTime"]!.GetValue<string>().Should().Be("2026-01-01T00:00:00Z");
        json.ToJsonString().Should().NotContain(jwt);
        ctx.Emulator.Stats.StsAssumeRoleWithOidc.Should().Be(1);
        ctx.Emulator.Stats.LastStsFormParameters["OIDCToken"].Should().Be(jwt);
        ctx.Emulator.Stats.LastStsQueryParameters.Should().NotContainKey("OIDCToken");
    }

    [Fact]
    public async Task AssumeRoleWithOidc_MissingToken_MissingOIDCToken()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await OidcAsync(ctx, token: null);

        (await ErrorCodeAsync(response, HttpStatusCode.BadRequest)).Should().Be("MissingOIDCToken");
    }

    [Fact]
    public async Task AssumeRoleWithOidc_ValidatorRejects_AuthenticationFail()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.OidcTokenValidator = t => t == "good-token");

        using HttpResponseMessage rejected = await OidcAsync(ctx, "bad-token");
        using HttpResponseMessage accepted = await OidcAsync(ctx, "good-token");

        (await ErrorCodeAsync(rejected, HttpStatusCode.BadRequest)).Should().Be("AuthenticationFail.OIDCToken.Invalid");
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task<JsonNode> AssumeRoleAsync(EmulatorTestContext ctx, string id, string secret, string? securityToken, int durationSeconds)
    {
        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post,
            StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow(), id, securityToken),
            StsRequestFactory.AssumeRoleParameters(durationSeconds: durationSeconds),
            secret);
        using HttpResponseMessage response = await ctx.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await EmulatorTestContext.ReadJsonAsync(response))["Credentials"]!;
    }

    private static async Task<HttpResponseMessage> OidcAsync(EmulatorTestContext ctx, string? token)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("RoleArn", StsRequestFactory.RoleArn),
            new("OIDCProviderArn", StsRequestFactory.OidcProviderArn),
            new("RoleSessionName", "oidc-test"),
            new("DurationSeconds", "3600"),
        };
        if (token is not null)
        {
            form.Add(new("OIDCToken", token));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/?Version=2015-04-01&Action=AssumeRoleWithOIDC&Format=JSON")
        {
            Content = new FormUrlEncodedContent(form),
        };
        return await ctx.Client.SendAsync(request);
    }

    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        JsonObject json = (JsonObject)JsonNode.Parse(body)!;
        json.Select(p => p.Key).Should().BeEquivalentTo(["RequestId", "HostId", "Code", "Message", "Recommend"]);
        return json["Code"]!.GetValue<string>();
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
