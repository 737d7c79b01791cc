using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CloudCredentials.Emulator.Tests.TestSupport;

namespace CloudCredentials.Emulator.Tests.Internal.Aws;

public class AwsImdsEmulatorTests
{
    internal const string RoleList = "/latest/meta-data/iam/security-credentials/";
    internal const string Credentials = RoleList + "EmulatorInstanceRole";

    [Fact]
    public async Task PutToken_ValidTtl_ReturnsTokenWithGrantedTtlHeader()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await PutTokenAsync(ctx, "21600");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().NotBeNullOrWhiteSpace();
        response.Headers.GetValues("X-aws-ec2-metadata-token-ttl-seconds").Should().Equal("21600");
        ctx.Emulator.Stats.Aws.ImdsTokenPuts.Should().Be(1);
        ctx.Emulator.Stats.Aws.LastImdsTokenTtlSeconds.Should().Be(21600);
        ctx.Emulator.Stats.TokenPuts.Should().Be(0, "the Alibaba counters are separate");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("21601")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("")]
    public async Task PutToken_TtlOutOfRange_Returns400(string ttl)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await PutTokenAsync(ctx, ttl);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Token_ExpiresOnTheEmulatorClock()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        string token = await TokenAsync(ctx, 60);

        using (HttpResponseMessage fresh = await GetAsync(ctx, RoleList, token))
        {
            fresh.StatusCode.Should().Be(HttpStatusCode.OK);
            (await fresh.Content.ReadAsStringAsync()).Should().Be("EmulatorInstanceRole");
        }

        ctx.Time.Advance(TimeSpan.FromSeconds(60));
        using HttpResponseMessage expired = await GetAsync(ctx, Credentials, token);

        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        ctx.Emulator.Stats.Aws.ImdsUnauthorized.Should().Be(1);
    }

    [Fact]
    public async Task MaxTokenTtl_CapsTheGrantedTtl()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.Aws.MaxImdsTokenTtl = TimeSpan.FromSeconds(30));
        using HttpResponseMessage put = await PutTokenAsync(ctx, "21600");
        string token = await put.Content.ReadAsStringAsync();

        put.Headers.GetValues("X-aws-ec2-metadata-token-ttl-seconds").Should().Equal("30");
        ctx.Time.Advance(TimeSpan.FromSeconds(31));
        using HttpResponseMessage response = await GetAsync(ctx, RoleList, token);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("unknown-token")]
    [InlineData("")]
    public async Task UnknownToken_Returns401(string token)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await GetAsync(ctx, RoleList, token);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AlibabaToken_IsNotAnAwsToken()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await GetAsync(ctx, RoleList, await ctx.PutTokenAsync());

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WithoutToken_V1Allowed_Answers_V1Disabled_Returns401()
    {
        await using EmulatorTestContext v1 = await EmulatorTestContext.StartAsync();
        await using EmulatorTestContext v2Only = await EmulatorTestContext.StartAsync(o => o.Aws.ImdsV1Disabled = true);

        using HttpResponseMessage allowed = await GetAsync(v1, Credentials, token: null);
        using HttpResponseMessage refused = await GetAsync(v2Only, Credentials, token: null);

        allowed.StatusCode.Should().Be(HttpStatusCode.OK);
        v1.Emulator.Stats.Aws.ImdsGetsWithoutToken.Should().Be(1);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        v2Only.Emulator.Stats.Aws.ImdsUnauthorized.Should().Be(1);
    }

    [Fact]
    public async Task Credentials_AnswerTheImdsJsonExpiringAfterTheLifetime()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.CredentialLifetime = TimeSpan.FromMinutes(30));

        JsonObject json = await CredentialsAsync(ctx);

        json["Code"]!.GetValue<string>().Should().Be("Success");
        json["Type"]!.GetValue<string>().Should().Be("AWS-HMAC");
        json["LastUpdated"]!.GetValue<string>().Should().Be("2026-01-01T00:00:00Z");
        json["Expiration"]!.GetValue<string>().Should().Be("2026-01-01T00:30:00Z");
        json["AccessKeyId"]!.GetValue<string>().Should().StartWith("ASIA").And.HaveLength(20);
        json["SecretAccessKey"]!.GetValue<string>().Should().HaveLength(40);
        json["Token"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        ctx.Emulator.Stats.Aws.ImdsCredentialsGets.Should().Be(1);
        ctx.Emulator.Stats.Aws.CredentialsIssued.Should().Be(1);
    }

    [Fact]
    public async Task Credentials_OtherRole_Returns404()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await GetAsync(ctx, RoleList + "OtherRole", await TokenAsync(ctx));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    public async Task TokenPutFault_IsPlayedAndCounted(int status)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.AwsImdsToken, EmulatorFault.Status(status, contentType: "text/plain"));

        using HttpResponseMessage faulted = await PutTokenAsync(ctx, "21600");
        using HttpResponseMessage next = await PutTokenAsync(ctx, "21600");

        ((int)faulted.StatusCode).Should().Be(status);
        next.StatusCode.Should().Be(HttpStatusCode.OK);
        ctx.Emulator.Stats.Aws.ImdsTokenPuts.Should().Be(2);
        ctx.Emulator.Stats.FaultsServed.Should().Be(1);
    }

    [Fact]
    public async Task TokenPutDelayFault_TimesTheClientOut()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.AwsImdsToken, EmulatorFault.Delay(TimeSpan.FromSeconds(30)));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/latest/api/token");
        request.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", "21600");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Func<Task> act = () => ctx.Client.SendAsync(request, timeout.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task CredentialsFault500_ThenCredentials()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        string token = await TokenAsync(ctx);
        ctx.Emulator.InjectFault(EmulatorService.AwsImdsCredentials, EmulatorFault.Status(500));

        using (HttpResponseMessage faulted = await GetAsync(ctx, Credentials, token))
        {
            faulted.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        }

        using HttpResponseMessage response = await GetAsync(ctx, Credentials, token);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        ctx.Emulator.Stats.Aws.ImdsCredentialsGets.Should().Be(2);
    }

    internal static async Task<HttpResponseMessage> PutTokenAsync(EmulatorTestContext ctx, string ttl)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/latest/api/token");
        request.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token-ttl-seconds", ttl);
        return await ctx.Client.SendAsync(request);
    }

    internal static async Task<string> TokenAsync(EmulatorTestContext ctx, int ttl = 21600)
    {
        using HttpResponseMessage response = await PutTokenAsync(ctx, ttl.ToString(CultureInfo.InvariantCulture));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    internal static async Task<HttpResponseMessage> GetAsync(EmulatorTestContext ctx, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token", token);
        }

        return await ctx.Client.SendAsync(request);
    }

    internal static async Task<JsonObject> CredentialsAsync(EmulatorTestContext ctx)
    {
        using HttpResponseMessage response = await GetAsync(ctx, Credentials, await TokenAsync(ctx));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await EmulatorTestContext.ReadJsonAsync(response);
    }
}
