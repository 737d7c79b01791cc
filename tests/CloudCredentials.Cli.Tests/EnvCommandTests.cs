using CloudCredentials.Cli.Tests.TestSupport;
using CloudCredentials.Diagnostics;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Cli.Tests;

/// <summary><c>cloudcreds env</c> and the catalogue it prints (<see cref="CloudCredentialsDiagnostics.EnvironmentVariables"/>).</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class EnvCommandTests : IDisposable
{
    private const string Secret = "env-secret-Lp44";

    private readonly CliEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public void Catalogue_ListsBothClouds_EveryVariableDescribed_SecretsMarked()
    {
        IReadOnlyList<EnvironmentVariableInfo> variables = CloudCredentialsDiagnostics.EnvironmentVariables;

        variables.Select(v => v.Name).Should().OnlyHaveUniqueItems()
            .And.Contain(["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ECS_METADATA_DISABLED", "ALIBABA_CLOUD_CONFIG_FILE", "AWS_ACCESS_KEY_ID", "AWS_EC2_METADATA_DISABLED"]);
        variables.Select(v => v.Cloud).Distinct().Should().BeEquivalentTo("alibaba", "aws");
        variables.Should().OnlyContain(v => v.Description != "(not described yet)", "every variable the library reads says what it does");
        variables.Where(v => v.IsSecret).Select(v => v.Name).Should().BeEquivalentTo(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }

    [Fact]
    public async Task Env_PrintsEveryVariable_ValuesShown_SecretsHidden_KeyIdsMasked()
    {
        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenvCommand").Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", Secret).Set("ALIBABA_CLOUD_PROFILE", "work");

        CliResult run = await CliRun.InProcessAsync("env");

        run.ExitCode.Should().Be(0, run.ToString());
        string[] lines = run.Output.Split('\n');
        foreach (EnvironmentVariableInfo variable in CloudCredentialsDiagnostics.EnvironmentVariables)
        {
            lines.Should().Contain(l => l.StartsWith(variable.Name + " ", StringComparison.Ordinal), variable.Name);
        }

        lines.Single(l => l.StartsWith("ALIBABA_CLOUD_ACCESS_KEY_SECRET ", StringComparison.Ordinal)).Should().Contain("(set, hidden)");
        lines.Single(l => l.StartsWith("ALIBABA_CLOUD_ACCESS_KEY_ID ", StringComparison.Ordinal)).Should().Contain("LTAI***");
        lines.Single(l => l.StartsWith("ALIBABA_CLOUD_PROFILE ", StringComparison.Ordinal)).Should().Contain(" work ");
        lines.Single(l => l.StartsWith("ALIBABA_CLOUD_CREDENTIALS_URI ", StringComparison.Ordinal)).Should().Contain(" - ");
        run.AllText.Should().NotContain(Secret).And.NotContain("LTAIenvCommand");
    }
}
