using CloudCredentials.Cli.Tests.TestSupport;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Cli.Tests;

/// <summary><c>cloudcreds doctor</c> with <c>Cloud=aws</c>: the AWS chain's five members in order; nothing leaves loopback.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class DoctorAwsTests : IDisposable
{
    private const string Secret = "aws-doctor-secret-Zk40";

    private static readonly string[] Members = ["aws/env", "aws/web_identity", "aws/profile", "aws/container", "aws/instance_metadata"];

    private readonly CliEnvironment _env = new CliEnvironment().Set("CloudCredentials__Cloud", "aws");

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task NothingConfigured_MetadataDisabled_Exit2_FiveMembersNotConfigured_UnderTwoSeconds()
    {
        CliResult run = await CliRun.InProcessAsync("doctor");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        run.Output.Should().Contain("provider 'aws/default'").And.Contain("No credential");
        DoctorTable.Providers(run.Output).Should().Equal(Members);
        string[] lines = run.Output.Split('\n');
        foreach (string member in Members)
        {
            string row = DoctorTable.Row(lines, member);
            row.Should().Contain("declined").And.Contain("not configured").And.NotContain("FAILED");
        }

        DoctorTable.Row(lines, "aws/env").Should().Contain("AWS_ACCESS_KEY_ID");
        DoctorTable.Row(lines, "aws/web_identity").Should().Contain("AWS_WEB_IDENTITY_TOKEN_FILE");
        DoctorTable.Row(lines, "aws/container").Should().Contain("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        DoctorTable.Row(lines, "aws/instance_metadata").Should().Contain("AWS_EC2_METADATA_DISABLED");
    }

    [Fact]
    public async Task NothingConfigured_MetadataNeverAnswers_Exit2_ImdsReasonNamesTheEndpoint_UnderTwoSeconds()
    {
        await using var metadata = new SilentTcpListener();
        _env.Set("AWS_EC2_METADATA_DISABLED", null).Set("CloudCredentials__MetadataEndpoint", metadata.BaseUrl);

        CliResult run = await CliRun.InProcessAsync("doctor");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "one IMDS attempt with its 1 s timeout, the other sources are local");
        DoctorTable.Providers(run.Output).Should().Equal(Members);
        string[] lines = run.Output.Split('\n');
        DoctorTable.Row(lines, "aws/instance_metadata").Should().Contain("declined").And.Contain("127.0.0.1");
        DoctorTable.Row(lines, "aws/profile").Should().Contain("not configured");
        metadata.Connections.Should().BeLessThanOrEqualTo(1, "one attempt, no retries");
    }

    [Fact]
    public async Task EnvironmentKeys_Exit0_EnvAnswers_OthersNotReached_SecretNeverPrinted()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIADOCTORTEST").Set("AWS_SECRET_ACCESS_KEY", Secret).Set("AWS_SESSION_TOKEN", Secret + "-token");

        CliResult run = await CliRun.InProcessAsync("doctor");

        run.ExitCode.Should().Be(0, run.ToString());
        string[] lines = run.Output.Split('\n');
        DoctorTable.Row(lines, "aws/env").Should().Contain("ANSWERS");
        DoctorTable.Row(lines, "aws/instance_metadata").Should().Contain("not reached");
        run.Output.Should().Contain("Answer: aws/env").And.Contain("provider:      aws/env");
        run.AllText.Should().NotContain(Secret).And.NotContain("AKIADOCTORTEST");
    }

    [Fact]
    public async Task NamedProfileMissing_Exit2_ProfileReasonListsProfiles_ContainerAndImdsNotReached()
    {
        _env.Scope.WriteHomeFile(".aws/credentials", "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = " + Secret + "\n");
        _env.Set("AWS_PROFILE", "prod").Set("AWS_EC2_METADATA_DISABLED", null).Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9");

        CliResult run = await CliRun.InProcessAsync("doctor");

        run.ExitCode.Should().Be(2, run.ToString());
        string[] lines = run.Output.Split('\n');
        DoctorTable.Row(lines, "aws/profile").Should().Contain("declined").And.Contain("prod").And.Contain("dev");
        DoctorTable.Row(lines, "aws/container").Should().Contain("not reached").And.Contain("stops at aws/profile");
        DoctorTable.Row(lines, "aws/instance_metadata").Should().Contain("not reached");
        run.AllText.Should().NotContain(Secret);
    }
}
