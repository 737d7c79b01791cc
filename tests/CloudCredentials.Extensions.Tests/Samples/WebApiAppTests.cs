using System.Net;
using System.Text.Json;
using CloudCredentials.Emulator;
using CloudCredentials.Samples.WebApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudCredentials.Tests.Samples;

/// <summary>The WebApi sample, built by its own BuildAsync, on 127.0.0.1 with a free port.</summary>
public sealed class WebApiAppTests
{
    [Fact]
    public async Task WhoAmI_DefaultSettings_RunsAgainstEmulatorAndShowsNoSecret()
    {
        await using WebApplication app = await WebApiApp.BuildAsync(Args());
        await app.StartAsync();
        using HttpClient client = CreateClient(app);

        HttpResponseMessage whoami = await client.GetAsync("/whoami");
        string body = await whoami.Content.ReadAsStringAsync();
        HttpResponseMessage healthz = await client.GetAsync("/healthz");

        whoami.StatusCode.Should().Be(HttpStatusCode.OK, body);
        using JsonDocument json = JsonDocument.Parse(body);
        JsonElement root = json.RootElement;
        root.GetProperty("provider").GetString().Should().Be("ram_role_arn/static_ak");
        root.GetProperty("type").GetString().Should().Be("ram_role_arn");
        root.GetProperty("accessKeyId").GetString().Should().Be("STS.***");
        root.GetProperty("expiresAt").GetDateTimeOffset().Should().BeAfter(DateTimeOffset.UtcNow);
        root.GetProperty("secondsToExpiry").GetInt64().Should().BeInRange(3000, 3600, "the emulator issues 1 h credentials by default");
        root.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("provider", "type", "accessKeyId", "expiresAt", "secondsToExpiry");

        CloudCredential current = await app.Services.GetRequiredService<ICredentialSource>().GetCredentialAsync();
        body.Should().NotContain(current.AccessKeySecret!).And.NotContain(current.SecurityToken!).And.NotContain(current.AccessKeyId!)
            .And.NotContain(EmulatorOptions.DefaultAccessKeySecret);

        healthz.StatusCode.Should().Be(HttpStatusCode.OK);
        (await healthz.Content.ReadAsStringAsync()).Should().Be("Healthy");
        app.Services.GetServices<IHostedService>().OfType<EmulatorLifetime>().Should().ContainSingle();

        await app.StopAsync();
    }

    [Fact]
    public async Task CallerIdentity_DefaultSettings_SignedCallToEmulatorReturnsIdentity()
    {
        await using WebApplication app = await WebApiApp.BuildAsync(Args());
        await app.StartAsync();
        using HttpClient client = CreateClient(app);
        CloudEmulator emulator = app.Services.GetServices<IHostedService>().OfType<EmulatorLifetime>().Single().Emulator;

        HttpResponseMessage first = await client.GetAsync("/caller-identity");
        string body = await first.Content.ReadAsStringAsync();
        HttpResponseMessage second = await client.GetAsync("/caller-identity");

        first.StatusCode.Should().Be(HttpStatusCode.OK, body);
        first.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        using JsonDocument json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("IdentityType").GetString().Should().Be("AssumedRoleUser");
        json.RootElement.GetProperty("Arn").GetString().Should().Be("acs:ram::1234567890123456:assumed-role/webapi-sample/webapi-sample");
        second.StatusCode.Should().Be(HttpStatusCode.OK, "each call is signed afresh (a new nonce), so the second is not a replay");
        emulator.Stats.StsGetCallerIdentity.Should().Be(2);
        emulator.Stats.SignatureFailures.Should().Be(0);
        CloudCredential current = await app.Services.GetRequiredService<ICredentialSource>().GetCredentialAsync();
        body.Should().NotContain(current.AccessKeySecret!).And.NotContain(current.SecurityToken!);

        await app.StopAsync();
    }

    [Fact]
    public async Task WhoAmI_CloudCredentialsConfigured_UsesThemWithoutEmulator()
    {
        const string secret = "webapi-test-secret-value";
        await using WebApplication app = await WebApiApp.BuildAsync(Args(
            "--CloudCredentials:Type", "access_key", "--CloudCredentials:AccessKeyId", "LTAIWebApiTestKey", "--CloudCredentials:AccessKeySecret", secret));
        await app.StartAsync();
        using HttpClient client = CreateClient(app);

        string body = await client.GetStringAsync("/whoami");

        using JsonDocument json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("type").GetString().Should().Be("access_key");
        json.RootElement.GetProperty("accessKeyId").GetString().Should().Be("LTAI***");
        json.RootElement.GetProperty("expiresAt").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("secondsToExpiry").ValueKind.Should().Be(JsonValueKind.Null);
        body.Should().NotContain(secret).And.NotContain("LTAIWebApiTestKey");
        app.Services.GetServices<IHostedService>().OfType<EmulatorLifetime>().Should().BeEmpty("a CloudCredentials section is configured");

        await app.StopAsync();
    }

    [Fact]
    public async Task WhoAmI_NoCredentialAvailable_Returns503ProblemWithTraceIdAndNoReasonOrSecret()
    {
        const string secret = "webapi-test-signing-secret";
        await using WebApplication app = await WebApiApp.BuildAsync(Args(
            "--CloudCredentials:Type", "ram_role_arn",
            "--CloudCredentials:RoleArn", "acs:ram::1234567890123456:role/unreachable",
            "--CloudCredentials:AccessKeyId", "LTAIWebApiTestKey",
            "--CloudCredentials:AccessKeySecret", secret,
            "--CloudCredentials:StsEndpoint", "http://127.0.0.1:1",
            "--CloudCredentials:ConnectTimeout", "200"));
        await app.StartAsync();
        using HttpClient client = CreateClient(app);

        HttpResponseMessage whoami = await client.GetAsync("/whoami");
        string body = await whoami.Content.ReadAsStringAsync();
        HttpResponseMessage healthz = await client.GetAsync("/healthz");

        whoami.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, body);
        whoami.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        // The reason names the STS endpoint: it goes to the app's log, under the trace id the caller gets.
        body.Should().Contain("No cloud credential is available.").And.NotContain("127.0.0.1:1").And.NotContain(secret);
        using JsonDocument problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("traceId").GetString().Should().NotBeNullOrEmpty();
        healthz.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await healthz.Content.ReadAsStringAsync()).Should().Be("Unhealthy");

        await app.StopAsync();
    }

    [Fact]
    public async Task WhoAmI_NoCredentialAvailable_AnswersNoHostFilePath()
    {
        // The default chain (a CloudCredentials value is set, so no emulator) with a config.json that does not exist:
        // the library's reason names that file and the INI file below HOME. The caller gets neither.
        DirectoryInfo configDir = Directory.CreateTempSubdirectory("cc-webapi-config-");
        string configFile = Path.Combine(configDir.FullName, ".aliyun", "config.json");
        try
        {
            await using WebApplication app = await WebApiApp.BuildAsync(Args("--CloudCredentials:ConfigFile", configFile));
            await app.StartAsync();
            using HttpClient client = CreateClient(app);

            HttpResponseMessage whoami = await client.GetAsync("/whoami");
            string body = await whoami.Content.ReadAsStringAsync();

            whoami.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, body);
            body.Should().Contain("No cloud credential is available.");
            body.Should().NotContain(configDir.FullName).And.NotContain("config.json").And.NotContain(".alibabacloud")
                .And.NotContain(TestSupport.TestEnvironmentDefaults.EmptyHome).And.NotContain(Path.GetTempPath().TrimEnd(Path.DirectorySeparatorChar));

            await app.StopAsync();
        }
        finally
        {
            configDir.Delete(recursive: true);
        }
    }

    private static string[] Args(params string[] extra) =>
        ["--urls", "http://127.0.0.1:0", "--contentRoot", SamplePaths.WebApi, .. extra];

    private static HttpClient CreateClient(WebApplication app)
    {
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }
}
