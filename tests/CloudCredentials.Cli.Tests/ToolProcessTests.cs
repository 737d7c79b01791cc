using CloudCredentials.Cli.Tests.TestSupport;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Cli.Tests;

/// <summary>The built tool as a process, with a controlled environment (temporary HOME, metadata on a silent loopback port or disabled).</summary>
public sealed class ToolProcessTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("cloudcreds-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Doctor_NothingConfigured_MetadataNeverAnswers_Exit2_EveryReason()
    {
        await using var metadata = new SilentTcpListener();

        CliResult run = await CliRun.AsProcessAsync(Environment(("CloudCredentials__MetadataEndpoint", metadata.BaseUrl)), "doctor");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Output.Should().Contain("ALIBABA_CLOUD_ACCESS_KEY_ID is not set").And.Contain("config.json")
            .And.Contain("ecs_ram_role").And.Contain(metadata.BaseUrl).And.Contain("credential_uri").And.Contain("No credential");
        run.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "process start-up plus one short probe (the 2 s bound is checked in-process)");
    }

    [Fact]
    public async Task Doctor_EnvironmentKeys_Exit0()
    {
        CliResult run = await CliRun.AsProcessAsync(
            Environment(("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"), ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIprocessKey"), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "process-secret-Kd02")),
            "doctor");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("Answer: env").And.Contain("LTAI***");
        run.AllText.Should().NotContain("process-secret-Kd02");
    }

    private Dictionary<string, string> Environment(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = _home,
            ["USERPROFILE"] = _home,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        foreach ((string name, string value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }
}
