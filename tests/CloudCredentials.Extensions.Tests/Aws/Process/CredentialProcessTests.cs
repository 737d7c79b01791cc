using CloudCredentials.Aws.Process;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Aws.Process;

/// <summary>credential_process: argv without a shell, the version 1 JSON, exit codes, stderr's first line, timeout.</summary>
public sealed class CredentialProcessTests
{
    private const string Secret = "ProcessSecretAccessKey333";

    private static Task<CloudCredential> Run(string command, TimeSpan? timeout = null)
        => TestBuildContext.Build(new CredentialProcessSpec(command, "profile 'tool'", timeout)).FetchAsync(CancellationToken.None).AsTask();

    private static string Script(string body) => $"/bin/sh -c \"{body.Replace("\"", "\\\"")}\"";

    private static async Task<CredentialUnavailableException> FailsAsync(string command, TimeSpan? timeout = null)
    {
        CredentialUnavailableException ex = (await FluentActions.Awaiting(() => Run(command, timeout)).Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("aws/process");
        ex.ToString().Should().NotContain(Secret);
        return ex;
    }

    [UnixOnlyFact]
    public async Task Version1_WithSessionTokenAndExpiration()
    {
        CloudCredential c = await Run(Script($"printf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"AKIDP\", \"SecretAccessKey\": \"{Secret}\", \"SessionToken\": \"T\", \"Expiration\": \"2030-01-01T00:00:00Z\"}}'"));

        c.Should().Match<CloudCredential>(x => x.AccessKeyId == "AKIDP" && x.AccessKeySecret == Secret && x.SecurityToken == "T"
            && x.Expiration == new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) && x.Type == "process" && x.ProviderName == "aws/process");
    }

    [UnixOnlyFact]
    public async Task NoExpiration_NeverExpires()
        => (await Run(Script($"printf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"{Secret}\"}}'"))).Expiration.Should().BeNull();

    [UnixOnlyFact]
    public async Task NonZeroExit_ErrorHasTheExitCodeAndStderrsFirstLine_SecretsStripped()
    {
        CredentialUnavailableException ex = await FailsAsync(Script($"echo 'login required: SecretAccessKey={Secret}' >&2; echo second >&2; exit 7"));

        ex.Reason.Should().Contain("exited with code 7").And.Contain("login required").And.Contain("profile 'tool'").And.NotContain("second");
    }

    [UnixOnlyTheory]
    [InlineData("not json", "did not print a JSON object")]
    [InlineData("{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" + Secret + "\"}", "without Version")]
    [InlineData("{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" + Secret + "\"}", "Version 2")]
    [InlineData("{\"Version\": 1, \"SecretAccessKey\": \"" + Secret + "\"}", "without AccessKeyId")]
    [InlineData("{\"Version\": 1, \"AccessKeyId\": \"A\"}", "without SecretAccessKey")]
    [InlineData("{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" + Secret + "\", \"Expiration\": \"soon\"}", "Expiration")]
    public async Task BadOutput_ErrorNamesTheField_NeverQuotesStdout(string stdout, string expected)
    {
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, stdout);
        try
        {
            (await FailsAsync($"/bin/cat {file}")).Reason.Should().Contain(expected);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [UnixOnlyFact]
    public async Task Timeout_KillsTheCommand_ErrorNamesTheTimeout()
        => (await FailsAsync("/bin/sleep 30", TimeSpan.FromMilliseconds(300))).Reason.Should().Contain("timed out after 300 milliseconds").And.Contain("profile 'tool'");

    [Fact]
    public async Task UnclosedQuote_ErrorBeforeRunning()
        => (await FailsAsync("/bin/tool \"unclosed")).Reason.Should().Contain("cannot be split").And.Contain("quote");

    [Fact]
    public void DefaultTimeout_Is60Seconds() => CredentialProcessSpec.DefaultTimeout.Should().Be(TimeSpan.FromSeconds(60));
}
