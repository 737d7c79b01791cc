using System.Text.Json;
using CloudCredentials.Cli.Tests.TestSupport;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Cli.Tests;

/// <summary><c>cloudcreds get</c>: masked by default; <c>--show-secrets</c> is the only way a secret is printed.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class GetCommandTests : IDisposable
{
    private const string KeyId = "LTAIgetCommandKey";
    private const string Secret = "get-secret-Vw27";
    private const string Token = "get-token-Hs90";

    private readonly CliEnvironment _env = new();

    public GetCommandTests() => _env
        .Set("ALIBABA_CLOUD_ACCESS_KEY_ID", KeyId)
        .Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", Secret)
        .Set("ALIBABA_CLOUD_SECURITY_TOKEN", Token);

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task Text_IdentityMasked_NoSecret()
    {
        CliResult run = await CliRun.InProcessAsync("get");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("sts").And.Contain("default/env").And.Contain("LTAI***").And.Contain("expires:");
        run.AllText.Should().NotContain(Secret).And.NotContain(Token).And.NotContain(KeyId);
        run.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task Json_IdentityMasked_NoSecret()
    {
        CliResult run = await CliRun.InProcessAsync("get", "--json");

        run.ExitCode.Should().Be(0, run.ToString());
        using JsonDocument json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("type").GetString().Should().Be("sts");
        json.RootElement.GetProperty("provider").GetString().Should().Be("default/env");
        json.RootElement.GetProperty("accessKeyId").GetString().Should().Be("LTAI***");
        json.RootElement.TryGetProperty("accessKeySecret", out _).Should().BeFalse();
        run.AllText.Should().NotContain(Secret).And.NotContain(Token);
    }

    [Fact]
    public async Task ShowSecrets_PrintsThem_AndWarnsOnStderr()
    {
        CliResult run = await CliRun.InProcessAsync("get", "--json", "--show-secrets");

        run.ExitCode.Should().Be(0, run.ToString());
        using JsonDocument json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("accessKeyId").GetString().Should().Be(KeyId);
        json.RootElement.GetProperty("accessKeySecret").GetString().Should().Be(Secret);
        json.RootElement.GetProperty("securityToken").GetString().Should().Be(Token);
        run.Error.Should().Contain("warning").And.Contain("--show-secrets").And.NotContain(Secret);
    }

    [Fact]
    public async Task NothingConfigured_Exit2_WithTheChainsReasons()
    {
        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", null).Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", null).Set("ALIBABA_CLOUD_SECURITY_TOKEN", null);

        CliResult run = await CliRun.InProcessAsync("get");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("no credential").And.Contain("ALIBABA_CLOUD_ACCESS_KEY_ID is not set");
        run.Output.Should().BeEmpty();
    }
}
