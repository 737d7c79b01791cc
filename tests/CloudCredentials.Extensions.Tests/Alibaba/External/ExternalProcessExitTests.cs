using System.Diagnostics;
using System.Globalization;
using CloudCredentials.Alibaba.External;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.Alibaba.External;

/// <summary>
/// The External command's run ends when the command exits (plus a short grace), not when every process holding its
/// stdout has gone; what stays behind on the pipes is killed. stderr is quoted only in a Debug log, never in an error.
/// </summary>
public sealed class ExternalProcessExitTests : IDisposable
{
    private const string Secret = "ext-ak-secret-SECRET";

    private readonly FakeLogCollector _logs = new();
    private readonly SessionTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ExternalProvider Provider(string script, TimeSpan? timeout = null) => new(
        new ExternalSpec { Command = $"/bin/sh '{script}'", Timeout = timeout ?? TimeSpan.FromSeconds(20) },
        null,
        TimeProvider.System,
        _logs.CreateFactory().CreateLogger("test"));

    [UnixOnlyFact]
    public async Task FetchAsync_CommandExitsButLeavesABackgroundChildOnStdout_SucceedsAtExitAndKillsTheChild()
    {
        string pidFile = _dir.File("child.pid");
        string script = _dir.Write("cred.sh", $$"""
            printf '{"mode":"AK","access_key_id":"ext-id","access_key_secret":"{{Secret}}"}'
            sleep 30 &
            echo $! > '{{pidFile}}'
            """);
        ExternalProvider provider = Provider(script);

        CloudCredential credential = await Task.Run(() => provider.FetchAsync(CancellationToken.None).AsTask()).WaitAsync(TimeSpan.FromSeconds(10));

        credential.AccessKeyId.Should().Be("ext-id");
        credential.AccessKeySecret.Should().Be(Secret);
        if (OperatingSystem.IsLinux())
        {
            // Only Linux shows (in /proc) which processes hold the pipe; elsewhere the child is left to end by itself.
            int child = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
            (await IsGoneWithinAsync(child, TimeSpan.FromSeconds(10))).Should().BeTrue("the background child holding stdout is killed");
            _logs.GetSnapshot().Should().ContainSingle(e => e.Id.Name == "ExternalCommandLeftProcesses")
                .Which.GetStructuredStateValue("Killed").Should().Be("1");
        }

        _logs.AllText().Should().NotContain(Secret);
    }

    [UnixOnlyFact]
    public async Task FetchAsync_NonZeroExit_CountsStderrInTheError_AndQuotesItOnlyAtDebug()
    {
        string script = _dir.Write("fail.sh", """
            echo 'token expired, run login' >&2
            exit 3
            """);

        Func<Task> act = async () => await Provider(script).FetchAsync(CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Reason.Should().Be("failed to execute external command: exit status 3; the command wrote 25 bytes to stderr (logged at Debug)");
        ex.ToString().Should().NotContain("token expired");
        FakeLogRecord stderrLog = _logs.GetSnapshot().Should().ContainSingle(e => e.Id.Name == "ExternalCommandStderr").Which;
        stderrLog.Level.Should().Be(LogLevel.Debug);
        stderrLog.Message.Should().Contain("token expired, run login");
    }

    [UnixOnlyFact]
    public async Task FetchAsync_NonZeroExitWithoutStderr_SaysNothingAboutStderr()
    {
        string script = _dir.Write("fail.sh", "exit 4");

        Func<Task> act = async () => await Provider(script).FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Reason
            .Should().Be("failed to execute external command: exit status 4");
        _logs.GetSnapshot().Should().NotContain(e => e.Id.Name == "ExternalCommandStderr");
    }

    /// <summary>Waits (bounded) for a killed process to go; a zombie awaiting its reaper counts as gone.</summary>
    private static async Task<bool> IsGoneWithinAsync(int pid, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (IsAlive(pid))
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    private static bool IsAlive(int pid)
    {
        if (Directory.Exists("/proc"))
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
            }
            catch (IOException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
