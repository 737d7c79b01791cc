using System.Net;
using System.Text.Json.Nodes;
using CloudCredentials.Emulator.Tests.TestSupport;

namespace CloudCredentials.Emulator.Tests.Internal;

public class MetadataEmulatorTests
{
    private const string RoleList = "/latest/meta-data/ram/security-credentials/";
    private const string Credentials = RoleList + "EmulatorRole";

    [Fact]
    public async Task PutToken_ValidTtl_ReturnsTokenAndCountsIt()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        string token = await ctx.PutTokenAsync(21600);

        token.Should().NotBeNullOrWhiteSpace();
        ctx.Emulator.Stats.TokenPuts.Should().Be(1);
        ctx.Emulator.Stats.LastTokenTtlSeconds.Should().Be(21600);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("21601")]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData(null)]
    public async Task PutToken_TtlMissingOrOutOfRange_Returns400(string? ttl)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/latest/api/token");
        if (ttl is not null)
        {
            request.Headers.TryAddWithoutValidation("X-aliyun-ecs-metadata-token-ttl-seconds", ttl);
        }

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TokenPath_Get_Returns405AllowPut()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await ctx.Client.GetAsync("/latest/api/token");

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().Contain("PUT");
        ctx.Emulator.Stats.TokenPuts.Should().Be(0);
    }

    [Fact]
    public async Task GetRoleList_WithToken_ReturnsRoleName()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.RoleName = "MyRole");
        string token = await ctx.PutTokenAsync();

        using HttpResponseMessage response = await ctx.GetMetadataAsync(RoleList, token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("MyRole");
        ctx.Emulator.Stats.RoleListGets.Should().Be(1);
        ctx.Emulator.Stats.MetadataGetsWithToken.Should().Be(1);
    }

    [Fact]
    public async Task GetCredentials_WithToken_ReturnsSuccessJsonExpiringAfterLifetime()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.CredentialLifetime = TimeSpan.FromMinutes(30));
        string token = await ctx.PutTokenAsync();

        using HttpResponseMessage response = await ctx.GetMetadataAsync(Credentials, token);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("\\u00", "the services write '+' and '/' unescaped");
        JsonObject json = await EmulatorTestContext.ReadJsonAsync(response);
        json["Code"]!.GetValue<string>().Should().Be("Success");
        json["AccessKeyId"]!.GetValue<string>().Should().StartWith("STS.");
        json["AccessKeySecret"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        json["SecurityToken"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        json["Expiration"]!.GetValue<string>().Should().Be("2026-01-01T00:30:00Z");
        json["LastUpdated"]!.GetValue<string>().Should().Be("2026-01-01T00:00:00Z");
        ctx.Emulator.Stats.MetadataCredentialsGets.Should().Be(1);
        ctx.Emulator.Stats.CredentialsIssued.Should().Be(1);
    }

    [Fact]
    public async Task GetCredentials_TokenTtlElapsed_Returns401()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        string token = await ctx.PutTokenAsync(60);

        ctx.Time.Advance(TimeSpan.FromSeconds(59));
        using (HttpResponseMessage stillValid = await ctx.GetMetadataAsync(Credentials, token))
        {
            stillValid.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        ctx.Time.Advance(TimeSpan.FromSeconds(1));
        using HttpResponseMessage expired = await ctx.GetMetadataAsync(Credentials, token);

        expired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        ctx.Emulator.Stats.MetadataTokenRejections.Should().Be(1);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("")]
    public async Task GetRoleList_UnknownToken_Returns401(string token)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await ctx.GetMetadataAsync(RoleList, token);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task GetCredentials_NoToken_V1Answered()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await ctx.GetMetadataAsync(Credentials, token: null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        ctx.Emulator.Stats.MetadataGetsWithoutToken.Should().Be(1);
        ctx.Emulator.Stats.MetadataGetsWithToken.Should().Be(0);
    }

    [Fact]
    public async Task GetCredentials_NoTokenWhenImdsV2Required_Returns403ButTokenWorks()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.RequireImdsV2 = true);

        using HttpResponseMessage v1 = await ctx.GetMetadataAsync(Credentials, token: null);
        using HttpResponseMessage v2 = await ctx.GetMetadataAsync(Credentials, await ctx.PutTokenAsync());

        v1.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        v2.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task GetCredentials_UnknownRole_Returns404()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await ctx.GetMetadataAsync(RoleList + "OtherRole", await ctx.PutTokenAsync());

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MetadataPaths_Put_Returns405()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await ctx.Client.PutAsync(Credentials, content: null);

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task GetCredentials_Twice_IssuesDistinctCredentials()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        string token = await ctx.PutTokenAsync();

        using HttpResponseMessage first = await ctx.GetMetadataAsync(Credentials, token);
        using HttpResponseMessage second = await ctx.GetMetadataAsync(Credentials, token);

        (await EmulatorTestContext.ReadJsonAsync(first))["AccessKeyId"]!.GetValue<string>()
            .Should().NotBe((await EmulatorTestContext.ReadJsonAsync(second))["AccessKeyId"]!.GetValue<string>());
    }
}
