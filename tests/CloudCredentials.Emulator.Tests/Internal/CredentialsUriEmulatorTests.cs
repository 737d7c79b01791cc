using System.Net;
using System.Text.Json.Nodes;
using CloudCredentials.Emulator.Tests.TestSupport;

namespace CloudCredentials.Emulator.Tests.Internal;

public class CredentialsUriEmulatorTests
{
    [Fact]
    public async Task Get_DefaultPath_ReturnsSuccessJson()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.CredentialLifetime = TimeSpan.FromMinutes(45));

        using HttpResponseMessage response = await ctx.Client.GetAsync(ctx.Emulator.CredentialsUri);

        ctx.Emulator.CredentialsUri.AbsolutePath.Should().Be("/credentials");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonObject json = await EmulatorTestContext.ReadJsonAsync(response);
        json.Select(p => p.Key).Should().BeEquivalentTo(["Code", "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"]);
        json["Code"]!.GetValue<string>().Should().Be("Success");
        json["Expiration"]!.GetValue<string>().Should().Be("2026-01-01T00:45:00Z");
        ctx.Emulator.Stats.CredentialsUriGets.Should().Be(1);
    }

    [Fact]
    public async Task Get_CustomPathWithQuery_Answered()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.CredentialsUriPath = "/v1/creds");

        using HttpResponseMessage response = await ctx.Client.GetAsync(new Uri(ctx.Emulator.CredentialsUri + "?role=app"));

        ctx.Emulator.CredentialsUri.Should().Be(new Uri(ctx.Emulator.BaseAddress, "/v1/creds"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Post_Returns405()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await ctx.Client.PostAsync(ctx.Emulator.CredentialsUri, content: null);

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task IssuedUriCredential_CanSignChainedAssumeRole()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpResponseMessage uri = await ctx.Client.GetAsync(ctx.Emulator.CredentialsUri);
        JsonObject credential = await EmulatorTestContext.ReadJsonAsync(uri);

        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post,
            StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow(), credential["AccessKeyId"]!.GetValue<string>(), credential["SecurityToken"]!.GetValue<string>()),
            StsRequestFactory.AssumeRoleParameters(),
            credential["AccessKeySecret"]!.GetValue<string>());
        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
