using CloudCredentials.Alibaba.External;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;

namespace CloudCredentials.Tests.Alibaba.External;

public sealed class ExternalProcessRunnerTests
{
    private readonly FakeLogCollector _logs = new();

    private ExternalProcessRunner Create(TimeSpan? timeout = null) =>
        new(timeout ?? TimeSpan.FromSeconds(20), " (profile 'ext')", TimeProvider.System, _logs.CreateFactory().CreateLogger("test"));

    [UnixOnlyFact]
    public async Task RunAsync_ArgumentsPassedWithoutShell_ReturnsStdout()
    {
        string stdout = await Create().RunAsync(["/bin/sh", "-c", "printf '%s|%s' \"$0\" \"$1\"", "a b", "$HOME"], CancellationToken.None);

        stdout.Should().Be("a b|$HOME");
    }

    [UnixOnlyFact]
    public async Task RunAsync_NonZeroExit_ThrowsWithExitStatusAndStderrSize_StderrOnlyInTheDebugLog()
    {
        Func<Task> act = () => Create().RunAsync(["/bin/sh", "-c", "echo out; echo 'went wrong' >&2; exit 3"], CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be(ExternalProvider.Name);
        ex.Reason.Should().Be("failed to execute external command: exit status 3 (profile 'ext'); the command wrote 11 bytes to stderr (logged at Debug)");
        _logs.GetSnapshot().Should().ContainSingle(e => e.Id.Name == "ExternalCommandStderr").Which.Message.Should().Contain("went wrong");
    }

    [UnixOnlyFact]
    public async Task RunAsync_Timeout_KillsAndThrows()
    {
        Func<Task> act = () => Create(TimeSpan.FromMilliseconds(200)).RunAsync(["/bin/sh", "-c", "sleep 30"], CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Reason.Should().StartWith("command process timed out after 200 milliseconds (profile 'ext')");
    }
}
