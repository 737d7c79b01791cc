using System.Net;
using System.Text.Json.Nodes;
using CloudCredentials.Emulator.Tests.TestSupport;

namespace CloudCredentials.Emulator.Tests.Internal.Aws;

public class AwsContainerEmulatorTests
{
    internal const string Path = "/v2/credentials/emulator";

    [Fact]
    public async Task WithToken_AnswersCredentialsJson()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o => o.CredentialLifetime = TimeSpan.FromMinutes(20));

        JsonObject json = await CredentialsAsync(ctx);

        json["AccessKeyId"]!.GetValue<string>().Should().StartWith("ASIA");
        json["SecretAccessKey"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        json["Token"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        json["Expiration"]!.GetValue<string>().Should().Be("2026-01-01T00:20:00Z");
        json["RoleArn"]!.GetValue<string>().Should().Be("arn:aws:iam::123456789012:role/EmulatorTaskRole");
        ctx.Emulator.Stats.Aws.ContainerGets.Should().Be(1);
    }

    [Fact]
    public async Task WithoutAuthorization_Returns401()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await GetAsync(ctx, Path, authorization: null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await EmulatorTestContext.ReadJsonAsync(response))["code"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        ctx.Emulator.Stats.Aws.ContainerRejections.Should().Be(1);
    }

    [Fact]
    public async Task WrongAuthorization_Returns403WithoutEchoingIt()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await GetAsync(ctx, Path, "Bearer wrong-value");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("wrong-value");
    }

    [Fact]
    public async Task NoAuthMode_AndCustomPath_AnswerWithoutHeader()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync(o =>
        {
            o.Aws.ContainerAuthorizationToken = null;
            o.Aws.ContainerPath = "/get-credentials";
        });

        using HttpResponseMessage response = await GetAsync(ctx, "/get-credentials", authorization: null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Fault500_ThenCredentials()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.AwsContainer, EmulatorFault.Status(500, "{\"code\":\"InternalError\",\"message\":\"try again\"}"));

        using (HttpResponseMessage faulted = await GetAsync(ctx, Path, AwsEmulatorOptions.DefaultContainerAuthorizationToken))
        {
            faulted.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        }

        await CredentialsAsync(ctx);
        ctx.Emulator.Stats.Aws.ContainerGets.Should().Be(2);
    }

    internal static async Task<HttpResponseMessage> GetAsync(EmulatorTestContext ctx, string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await ctx.Client.SendAsync(request);
    }

    internal static async Task<JsonObject> CredentialsAsync(EmulatorTestContext ctx)
    {
        using HttpResponseMessage response = await GetAsync(ctx, Path, AwsEmulatorOptions.DefaultContainerAuthorizationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await EmulatorTestContext.ReadJsonAsync(response);
    }
}
