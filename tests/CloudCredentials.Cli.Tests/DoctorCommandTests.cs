using CloudCredentials.Cli.Tests.TestSupport;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Cli.Tests;

/// <summary><c>cloudcreds doctor</c> in-process against temporary HOME / environment set-ups; nothing leaves loopback.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class DoctorCommandTests : IDisposable
{
    private const string Secret = "doctor-secret-Qx81";

    private readonly CliEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task NothingConfigured_MetadataNeverAnswers_Exit2WithEveryProvidersReason_UnderTwoSeconds()
    {
        await using var metadata = new SilentTcpListener();
        _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null).Set("CloudCredentials__MetadataEndpoint", metadata.BaseUrl);

        CliResult run = await CliRun.InProcessAsync("doctor");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "one short metadata probe, the other sources are local");
        string[] lines = run.Output.Split('\n');
        Row(lines, "env").Should().Contain("declined").And.Contain("ALIBABA_CLOUD_ACCESS_KEY_ID is not set");
        Row(lines, "cli_profile").Should().Contain("declined").And.Contain(Path.Combine(_env.Home, ".aliyun", "config.json"));
        Row(lines, "profile").Should().Contain("declined").And.Contain(".alibabacloud");
        Row(lines, "ecs_ram_role").Should().Contain("declined").And.Contain(metadata.BaseUrl);
        Row(lines, "oidc_role_arn").Should().Contain("skipped").And.Contain("ALIBABA_CLOUD_ROLE_ARN");
        Row(lines, "credential_uri").Should().Contain("skipped").And.Contain("ALIBABA_CLOUD_CREDENTIALS_URI");
        run.Output.Should().Contain("No credential");
        metadata.Connections.Should().BeLessThanOrEqualTo(1, "one probe, no retries");
    }

    [Fact]
    public async Task EnvironmentKeys_Exit0_EnvAnswers_LaterProvidersNotReached_SecretNeverPrinted()
    {
        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIdoctorKey").Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", Secret);

        CliResult run = await CliRun.InProcessAsync("doctor");

        run.ExitCode.Should().Be(0, run.ToString());
        string[] lines = run.Output.Split('\n');
        Row(lines, "env").Should().Contain("ANSWERS");
        Row(lines, "cli_profile").Should().Contain("not reached");
        run.Output.Should().Contain("Answer: env").And.Contain("type:          access_key").And.Contain("LTAI***").And.Contain("expires:       never");
        run.AllText.Should().NotContain(Secret).And.NotContain("LTAIdoctorKey");
    }

    [Fact]
    public async Task BrokenCliConfigJson_Exit2_NamesTheFileAndLine()
    {
        string path = _env.Scope.WriteHomeFile(".aliyun/config.json", "{\n  \"current\": \"default\",\n  \"profiles\": [ { \"name\": \"default\",\n");

        CliResult run = await CliRun.InProcessAsync("doctor");

        run.ExitCode.Should().Be(2, run.ToString());
        Row(run.Output.Split('\n'), "cli_profile").Should().Contain(path).And.Contain("not valid JSON").And.Contain("line 4");
    }

    [Fact]
    public async Task ConfigFileWithOneType_OneEntry_Exit0()
    {
        string config = WriteConfig("""{ "CloudCredentials": { "Type": "access_key", "AccessKeyId": "LTAIfromFile", "AccessKeySecret": "doctor-secret-Qx81" } }""");

        CliResult run = await CliRun.InProcessAsync("doctor", "--config", config);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("provider 'static_ak'").And.Contain("Answer: static_ak").And.Contain("LTAI***");
        run.Output.Split('\n').Count(l => l.StartsWith("1  ", StringComparison.Ordinal)).Should().Be(1);
        run.Output.Split('\n').Should().NotContain(l => l.StartsWith("2  ", StringComparison.Ordinal), "a single-type registration has one provider");
        run.AllText.Should().NotContain(Secret);
    }

    [Fact]
    public async Task NamedRegistrationInACustomSection_IsTheOneDiagnosed()
    {
        string config = WriteConfig("""{ "Clouds": { "billing": { "Type": "access_key", "AccessKeyId": "LTAIbilling", "AccessKeySecret": "doctor-secret-Qx81" } } }""");

        CliResult run = await CliRun.InProcessAsync("doctor", "--config", config, "--section", "Clouds", "--name", "billing");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("Registration billing").And.Contain("Answer: static_ak");
    }

    [Fact]
    public async Task InvalidOptions_Exit1_MessageNamesTheSetting()
    {
        string config = WriteConfig("""{ "CloudCredentials": { "Type": "access_key", "AccessKeyId": "LTAIfromFile" } }""");

        CliResult run = await CliRun.InProcessAsync("doctor", "--config", config);

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain("CloudCredentials:AccessKeySecret");
        run.Output.Should().BeEmpty();
    }

    [Fact]
    public async Task MissingConfigFile_Exit1_NamesTheFile()
    {
        CliResult run = await CliRun.InProcessAsync("doctor", "--config", "missing.json");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain(Path.Combine(_env.Home, "missing.json")).And.Contain("does not exist");
    }

    [Fact]
    public async Task ConfigFileNotJson_Exit1_NamesTheFileAndLine()
    {
        string config = WriteConfig("{\n  \"CloudCredentials\": {\n    \"Type\" \"access_key\"\n  }\n}");

        CliResult run = await CliRun.InProcessAsync("doctor", "--config", config);

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain(config).And.Contain("LineNumber: 2");
    }

    [Fact]
    public async Task UnknownArgument_Exit1()
    {
        CliResult run = await CliRun.InProcessAsync("doctor", "--no-such-option");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain("--no-such-option");
    }

    private static string Row(string[] lines, string provider) => DoctorTable.Row(lines, provider);

    private string WriteConfig(string json) => _env.Scope.WriteHomeFile("appsettings.test.json", json);
}
