using System.Net;
using CloudCredentials.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Tests.Alibaba.EcsRamRole;

/// <summary>Issue 9 item 8: metadata error answers are quoted only by their Code, Message and RequestId, never raw.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class MetadataErrorQuotingTests : IDisposable
{
    private const string BodySecret = "imds-body-secret-Lp61";
    private const string BodyToken = "imds-body-token-Vc08";

    private readonly EnvironmentScope _env = new();

    public MetadataErrorQuotingTests() => _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null);

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task Credentials500_XmlBodyHoldingACredential_CredentialIsNotInExceptionLogsOrHealth()
    {
        string xml = $"<?xml version=\"1.0\"?><Error><Code>InternalError</Code><Message>could not rotate {BodySecret}</Message><RequestId>req-9</RequestId><AccessKeySecret>{BodySecret}</AccessKeySecret><SecurityToken>{BodyToken}</SecurityToken></Error>";
        await using LoopbackServer imds = await LoopbackServer.StartAsync(async (context, _) =>
        {
            if (HttpMethods.IsPut(context.Request.Method))
            {
                await context.Response.WriteAsync("imds-session-token-Jr40");
                return;
            }

            context.Response.StatusCode = 500;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(xml);
        });
        await using SecretScanHost host = SecretScanHost.Create(o =>
        {
            o.Type = "ecs_ram_role";
            o.RoleName = "app-role";
            o.MetadataEndpoint = imds.BaseUrl;
        });

        CredentialUnavailableException ex = await host.FailAsync();

        ex.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        ex.Message.Should().Contain("500").And.Contain("InternalError").And.Contain("could not rotate ***").And.Contain("req-9");
        host.AssertNowhere(ex, BodySecret, BodyToken, "imds-session-token-Jr40");
    }

    [Fact]
    public async Task TokenisedGet401_BodyEchoingTheImdsV2Token_TokenIsNotInExceptionLogsOrHealth()
    {
        int tokens = 0;
        await using LoopbackServer imds = await LoopbackServer.StartAsync(async (context, _) =>
        {
            if (HttpMethods.IsPut(context.Request.Method))
            {
                await context.Response.WriteAsync($"imds-v2-token-{Interlocked.Increment(ref tokens)}-Tz19");
                return;
            }

            context.Response.StatusCode = 401;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync($"token {context.Request.Headers["X-aliyun-ecs-metadata-token"]} is not valid for this instance");
        });
        await using SecretScanHost host = SecretScanHost.Create(o =>
        {
            o.Type = "ecs_ram_role";
            o.RoleName = "app-role";
            o.MetadataEndpoint = imds.BaseUrl;
            o.DisableIMDSv1 = true;
        });

        CredentialUnavailableException ex = await host.FailAsync();

        tokens.Should().BeGreaterThan(0);
        ex.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        ex.Message.Should().Contain("401").And.Contain("text/plain");
        host.AssertNowhere(ex, "imds-v2-token-1-Tz19", "imds-v2-token-2-Tz19");
    }
}
