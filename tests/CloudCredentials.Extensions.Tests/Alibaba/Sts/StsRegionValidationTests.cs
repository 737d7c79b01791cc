using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudCredentials.Tests.Alibaba.Sts;

/// <summary>
/// Issue 9 item 9: an STS region id is only lowercase letters, digits and '-'. Anything else (<c>attacker.example#</c>
/// would send the signed AssumeRole to <c>https://sts.attacker.example/</c>) is refused, at start for options and
/// the environment, naming the setting.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class StsRegionValidationTests : IDisposable
{
    private const string Secret = "region-signing-secret-Fe44";
    private const string HijackingRegion = "attacker.example#";

    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task StsRegionIdOption_NotARegionId_StartFailsNamingStsRegionId()
    {
        OptionsValidationException ex = await StartFailsAsync(RamRole(("StsRegionId", HijackingRegion)));

        ex.Failures.Should().ContainSingle().Which.Should()
            .Be("CloudCredentials:StsRegionId 'attacker.example#' is not a region id such as cn-hangzhou; use only lowercase letters, digits and '-'");
    }

    [Fact]
    public async Task StsRegionEnvironmentVariable_NotARegionId_StartFailsNamingTheVariable()
    {
        _env.Set("ALIBABA_CLOUD_STS_REGION", HijackingRegion);
        Dictionary<string, string?> settings = RamRole();

        OptionsValidationException ex = await StartFailsAsync(settings);

        ex.Failures.Should().ContainSingle().Which.Should()
            .Contain("ALIBABA_CLOUD_STS_REGION 'attacker.example#'").And.Contain("is not a region id such as cn-hangzhou; use only lowercase letters, digits and '-'");
    }

    [Fact]
    public async Task StsRegionEnvironmentVariable_NotARegionId_DefaultChainStarts()
    {
        // Issue 10 item 3b: the default chain uses the variable only in its OIDC member, which then declines naming it.
        _env.Set("ALIBABA_CLOUD_STS_REGION", HijackingRegion);
        using IHost host = Builder(new() { ["Profile"] = "x" }).Build();

        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("cn-hangzhou")]
    [InlineData("ap-southeast-1")]
    public async Task StsRegion_RegionId_Starts(string region)
    {
        _env.Set("ALIBABA_CLOUD_STS_REGION", region);
        using IHost host = Builder(RamRole(("StsRegionId", region))).Build();

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task CliProfileStsRegion_NotARegionId_FetchFailsNamingStsRegionWithoutConnecting()
    {
        await using var listener = new SilentTcpListener();
        // Without the check this region makes https://sts.x@127.0.0.1:port#.aliyuncs.com: the signed call would go to
        // 127.0.0.1:port (loopback only, so the test itself never reaches another host).
        string region = $"x@127.0.0.1:{listener.Port}#";
        _env.WriteHomeFile(Path.Combine(".aliyun", "config.json"), $$"""
            {"current":"role","profiles":[{"name":"role","mode":"RamRoleArn","access_key_id":"LTAIregion","access_key_secret":"{{Secret}}",
              "ram_role_arn":"acs:ram::1:role/r","sts_region":"{{region}}"}]}
            """);
        await using SecretScanHost host = SecretScanHost.Create(_ => { });

        CredentialUnavailableException ex = await host.FailAsync();

        ex.Message.Should().Contain("profile 'role'").And.Contain($"'{region}'").And.Contain("sts_region")
            .And.Contain("is not a region id such as cn-hangzhou");
        listener.Connections.Should().Be(0, "the signed AssumeRole must not be sent anywhere");
        host.AssertNowhere(ex, Secret);
    }

    [Theory]
    [InlineData("cn-hangzhou", true)]
    [InlineData("ap-southeast-1", true)]
    [InlineData("attacker.example#", false)]
    [InlineData("CN-HANGZHOU", false)]
    [InlineData("cn_hangzhou", false)]
    [InlineData("x@127.0.0.1:1", false)]
    [InlineData("cn-hangzhou/", false)]
    [InlineData("", false)]
    public void IsRegionId_OnlyLowercaseLettersDigitsAndDash(string region, bool expected) =>
        StsEndpointResolver.IsRegionId(region).Should().Be(expected);

    private static Dictionary<string, string?> RamRole(params (string Key, string Value)[] extra) => ConfiguredHost.RamRole("LTAIregion", Secret, extra);

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings) => ConfiguredHost.Builder(settings);

    private static Task<OptionsValidationException> StartFailsAsync(Dictionary<string, string?> settings)
        => ConfiguredHost.StartFailsAsync(Builder(settings), Secret);
}
