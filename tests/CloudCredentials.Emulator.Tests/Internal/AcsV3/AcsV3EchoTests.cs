using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CloudCredentials.Emulator.Internal.Signing;
using CloudCredentials.Emulator.Tests.TestSupport;

namespace CloudCredentials.Emulator.Tests.Internal.AcsV3;

public class AcsV3EchoTests
{
    private const string Json = "{\"name\":\"test cluster\",\"region_id\":\"cn-beijing\"}";

    [Fact]
    public async Task SignedRoaPostWithJsonBody_EchoesMethodPathQueryAndBodyHash()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/roa/echo/clusters/c%20%2Fx/attach?b=2&a=x%2Ay")
        {
            Content = new StringContent(Json, Encoding.UTF8, "application/json"),
        };
        await TestSigners.SignV3Async(request, ctx.Emulator.BaseAddress, ctx.Time.GetUtcNow(), action: "AttachInstances", version: "2015-12-15");

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonObject echo = await EmulatorTestContext.ReadJsonAsync(response);
        echo["SignatureType"]!.GetValue<string>().Should().Be("ACS3-HMAC-SHA256");
        echo["AccessKeyId"]!.GetValue<string>().Should().Be(EmulatorOptions.DefaultAccessKeyId);
        echo["Method"]!.GetValue<string>().Should().Be("POST");
        echo["Path"]!.GetValue<string>().Should().Be("/roa/echo/clusters/c%20%2Fx/attach");
        echo["CanonicalQuery"]!.GetValue<string>().Should().Be("a=x%2Ay&b=2");
        echo["Action"]!.GetValue<string>().Should().Be("AttachInstances");
        echo["Version"]!.GetValue<string>().Should().Be("2015-12-15");
        echo["ContentType"]!.GetValue<string>().Should().Be("application/json; charset=utf-8");
        echo["BodySha256"]!.GetValue<string>().Should().Be(SigningText.HexSha256(Json));
        ctx.Emulator.Stats.RoaEchoRequests.Should().Be(1);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task AnyMethod_IsVerified(string method)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), "/roa/echo/resources/r-1");
        await TestSigners.SignV3Async(request, ctx.Emulator.BaseAddress, ctx.Time.GetUtcNow(), action: "Any", version: "2020-01-01");

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await EmulatorTestContext.ReadJsonAsync(response))["Method"]!.GetValue<string>().Should().Be(method);
    }

    [Fact]
    public async Task PathTamperedAfterSigning_SignatureDoesNotMatch()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/roa/echo/resources/r-1");
        await TestSigners.SignV3Async(request, ctx.Emulator.BaseAddress, ctx.Time.GetUtcNow(), action: "Any", version: "2020-01-01");
        request.RequestUri = new Uri("/roa/echo/resources/r-2", UriKind.Relative);

        await AcsV3GetCallerIdentityTests.ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task BodyReplacedWithMatchingHashHeader_SignatureDoesNotMatch()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/roa/echo/clusters") { Content = new StringContent(Json, Encoding.UTF8, "application/json") };
        await TestSigners.SignV3Async(request, ctx.Emulator.BaseAddress, ctx.Time.GetUtcNow(), action: "CreateCluster", version: "2015-12-15");
        const string Other = "{\"name\":\"other\"}";
        request.Content = new StringContent(Other, Encoding.UTF8, "application/json");
        TestSigners.Set(request, "x-acs-content-sha256", SigningText.HexSha256(Other));

        await AcsV3GetCallerIdentityTests.ExpectErrorAsync(ctx, request, HttpStatusCode.BadRequest, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task BearerToken_IsAccepted()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpRequestMessage request = Bearer(EmulatorOptions.DefaultBearerToken);

        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await EmulatorTestContext.ReadJsonAsync(response))["SignatureType"]!.GetValue<string>().Should().Be("BEARERTOKEN");
    }

    [Fact]
    public async Task UnknownBearerToken_IsRefusedWithoutEchoingIt()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        JsonObject json = await AcsV3GetCallerIdentityTests.ExpectErrorAsync(ctx, Bearer("stolen-token-value"), HttpStatusCode.BadRequest, "InvalidBearerToken");

        json.ToJsonString().Should().NotContain("stolen-token-value");
    }

    [Fact]
    public async Task Unsigned_IsRefused()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        await AcsV3GetCallerIdentityTests.ExpectErrorAsync(ctx, new HttpRequestMessage(HttpMethod.Get, "/roa/echo/x"), HttpStatusCode.BadRequest, "MissingParameter");
    }

    [Fact]
    public async Task InjectedFault_IsPlayedThenTheRouteAnswers()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.RoaEcho, EmulatorFault.Status(503));

        using (HttpResponseMessage faulted = await ctx.Client.SendAsync(Bearer(EmulatorOptions.DefaultBearerToken)))
        {
            faulted.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        using HttpResponseMessage response = await ctx.Client.SendAsync(Bearer(EmulatorOptions.DefaultBearerToken));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        ctx.Emulator.Stats.FaultsServed.Should().Be(1);
    }

    private static HttpRequestMessage Bearer(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/roa/echo/calls");
        request.Headers.Add("x-acs-bearer-token", token);
        request.Headers.Add("x-acs-signature-type", "BEARERTOKEN");
        return request;
    }
}
