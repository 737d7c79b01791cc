using System.Net;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudCredentials.Tests.Alibaba.Sts;

/// <summary>
/// Issue 9 item 10: an STS answer carries a secret, so a plain-http STS endpoint is accepted only to loopback (and the
/// other local addresses of the credentials-URI rule) or to a host in AllowedHttpHosts; others are refused at start.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class StsPlainHttpTests : IDisposable
{
    private const string Secret = "plain-http-signing-secret-Uy30";

    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    [Theory]
    [InlineData("ram_role_arn")]
    [InlineData(null)]
    public async Task StsEndpoint_PlainHttpToAPublicHost_StartFailsNamingStsEndpointAndAllowedHttpHosts(string? type)
    {
        Dictionary<string, string?> settings = type is null ? new() { ["StsEndpoint"] = "http://sts.example.com" } : RamRole(("StsEndpoint", "http://sts.example.com"));
        using IHost host = Builder(settings).Build();

        Func<Task> act = () => host.StartAsync();

        OptionsValidationException ex = (await act.Should().ThrowAsync<OptionsValidationException>()).Which;
        ex.Failures.Should().ContainSingle().Which.Should()
            .StartWith("CloudCredentials:StsEndpoint is not acceptable: the STS endpoint http://sts.example.com/ uses plain http to sts.example.com")
            .And.Contain("add the host to AllowedHttpHosts");
        ex.ToString().Should().NotContain(Secret);
    }

    [Fact]
    public async Task StsEndpoint_PlainHttpToAnAllowedHost_Starts()
    {
        Dictionary<string, string?> settings = RamRole(("StsEndpoint", "http://sts.internal.example:8080"), ("AllowedHttpHosts:0", "sts.internal.example"));
        using IHost host = Builder(settings).Build();

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task StsEndpoint_PlainHttpToLoopback_StartsAndAssumesTheRole()
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, StsSuccessBody));
        await using SecretScanHost host = SecretScanHost.Create(o =>
        {
            o.Type = "ram_role_arn";
            o.AccessKeyId = "LTAIplain";
            o.AccessKeySecret = Secret;
            o.RoleArn = "acs:ram::1:role/r";
            o.StsEndpoint = $"http://127.0.0.1:{sts.BaseAddress.Port}";
        });

        CloudCredential credential = await host.Source.GetCredentialAsync();

        credential.AccessKeyId.Should().Be("STS.plain");
        sts.Received.Should().ContainSingle();
    }

    [Fact]
    public async Task CliProfileStsEndpoint_PlainHttpToAPublicHost_FetchFailsWithTheAdviceAndSendsNothing()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.BadRequest, """{"Code":"Stub","Message":"must not be called"}""");
        _env.WriteHomeFile(Path.Combine(".aliyun", "config.json"), $$"""
            {"current":"role","profiles":[{"name":"role","mode":"RamRoleArn","access_key_id":"LTAIplain","access_key_secret":"{{Secret}}",
              "ram_role_arn":"acs:ram::1:role/r","sts_endpoint":"http://sts.example.com"}]}
            """);
        await using SecretScanHost host = SecretScanHost.Create(_ => { }, after: services =>
            services.AddHttpClient("CloudCredentials.Sts").ConfigurePrimaryHttpMessageHandler(() => stub));

        CredentialUnavailableException ex = await host.FailAsync();

        ex.Message.Should().Contain("profile 'role'").And.Contain("the STS endpoint http://sts.example.com/ uses plain http to sts.example.com")
            .And.Contain("add the host to AllowedHttpHosts");
        stub.Calls.Should().Be(0, "the signed AssumeRole must not be sent unencrypted");
        host.AssertNowhere(ex, Secret);
    }

    private const string StsSuccessBody =
        """{"RequestId":"r","Credentials":{"AccessKeyId":"STS.plain","AccessKeySecret":"plain-returned-secret","SecurityToken":"plain-returned-token","Expiration":"2099-01-01T00:00:00Z"}}""";

    private static Dictionary<string, string?> RamRole(params (string Key, string Value)[] extra) => ConfiguredHost.RamRole("LTAIplain", Secret, extra);

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings) => ConfiguredHost.Builder(settings);
}
