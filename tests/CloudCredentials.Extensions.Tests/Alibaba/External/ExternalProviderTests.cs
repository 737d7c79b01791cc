using System.Diagnostics;
using System.Text.Json.Nodes;
using CloudCredentials.Alibaba.External;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.External;

public class ExternalProviderTests : IDisposable
{
    private const string Secret = "ext-ak-secret-SECRET";
    private const string Token = "ext-sts-token-SECRET";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private readonly SessionTempDirectory _dir = new();

    private ILogger Logger => new FakeLogger(_logs, "test");

    public void Dispose() => _dir.Dispose();

    private ExternalProvider CreateProvider(string command, TimeSpan? timeout = null, string? configPath = null, CliConfigWriter? writer = null, TimeProvider? time = null) =>
        new(
            new ExternalSpec
            {
                Command = command,
                ConfigPath = configPath,
                ProfileName = configPath is null ? null : "ext",
                Timeout = timeout ?? ExternalSpec.DefaultTimeout,
            },
            writer ?? (configPath is null ? null : new CliConfigWriter()),
            time ?? _time,
            Logger);

    private string Script(string body) => _dir.WriteScript($"cred-{Guid.NewGuid():N}.sh", body);

    private static string Quote(string path) => "'" + path + "'";

    private void AssertNoSecrets(string? text = null)
    {
        foreach (string s in new[] { Secret, Token })
        {
            _logs.AllText().Should().NotContain(s);
            (text ?? string.Empty).Should().NotContain(s);
        }
    }

    [UnixOnlyFact]
    public async Task FetchAsync_AkMode_ReturnsAccessKeyWithoutExpiration()
    {
        string script = Script($$"""echo '{"mode":"AK","access_key_id":"ext-id","access_key_secret":"{{Secret}}"}'""");

        CloudCredential credential = await CreateProvider(Quote(script)).FetchAsync(CancellationToken.None);

        credential.Type.Should().Be(CredentialTypes.AccessKey);
        credential.ProviderName.Should().Be("external");
        credential.AccessKeyId.Should().Be("ext-id");
        credential.AccessKeySecret.Should().Be(Secret);
        credential.SecurityToken.Should().BeNull();
        credential.Expiration.Should().BeNull();
        credential.RefreshBefore.Should().Be(TimeSpan.FromSeconds(180));
        AssertNoSecrets();
    }

    [UnixOnlyFact]
    public async Task FetchAsync_StsTokenMode_ReturnsStsWithExpiration()
    {
        string script = Script($$"""
            echo 'some progress on stderr' >&2
            echo '{"mode":"StsToken","access_key_id":"STS.ext","access_key_secret":"{{Secret}}","sts_token":"{{Token}}","expiration":"2026-01-01T01:00:00Z"}'
            """);

        CloudCredential credential = await CreateProvider(Quote(script)).FetchAsync(CancellationToken.None);

        credential.Type.Should().Be(CredentialTypes.Sts);
        credential.SecurityToken.Should().Be(Token);
        credential.Expiration.Should().Be(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero));
        credential.RefreshBefore.Should().Be(TimeSpan.FromSeconds(180));
        AssertNoSecrets();
    }

    [UnixOnlyFact]
    public async Task FetchAsync_ArgumentsAreSplitWithoutShell_AndPassedVerbatim()
    {
        // The script echoes its arguments into the credential, proving quoting and no shell expansion.
        string script = Script("""
            printf '{"mode":"AK","access_key_id":"%s|%s|%s","access_key_secret":"s"}' "$1" "$2" "$3"
            """);

        CloudCredential credential = await CreateProvider(Quote(script) + " 'a b' \"\\$HOME\" c\\ d").FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("a b|$HOME|c d");
    }

    [UnixOnlyFact]
    public async Task FetchAsync_NonZeroExit_ReportsStatus_StderrOnlyInTheLogAndNeverStdout()
    {
        string script = Script($$"""
            echo '{"access_key_secret":"{{Secret}}"}'
            echo 'token expired, run login' >&2
            exit 3
            """);

        Func<Task> act = async () => await CreateProvider(Quote(script)).FetchAsync(CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("external");
        ex.Message.Should().Contain("failed to execute external command: exit status 3").And.Contain("bytes to stderr (logged at Debug)")
            .And.NotContain("token expired, run login");
        _logs.AllText().Should().Contain("token expired, run login");
        AssertNoSecrets(ex.Message);
    }

    [UnixOnlyFact]
    public async Task FetchAsync_LongStderr_IsCutToAShortExcerpt()
    {
        string script = Script("""
            i=0; while [ $i -lt 200 ]; do echo "stderr line $i with some padding text" >&2; i=$((i+1)); done
            exit 1
            """);

        Func<Task> act = async () => await CreateProvider(Quote(script)).FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Length.Should().BeLessThan(800);
    }

    [UnixOnlyFact]
    public async Task FetchAsync_Timeout_KillsProcessTreeAndReportsMilliseconds()
    {
        // The grandchild writes its pid into a FIFO and keeps the FIFO open until it dies: the test reads the pid once it
        // runs, and end-of-file once it is dead, without polling.
        string fifo = await MakeFifoAsync(_dir.File("grandchild.fifo"));
        string script = Script($"""
            sh -c 'echo $$; exec sleep 300' > '{fifo}' &
            wait
            """);
        var time = new ObservedTimeProvider(_time.GetUtcNow());
        ExternalProvider provider = CreateProvider(Quote(script), timeout: TimeSpan.FromMilliseconds(500), time: time);
        var stopwatch = Stopwatch.StartNew();

        Task<StreamReader> opened = Task.Run(() => new StreamReader(new FileStream(fifo, FileMode.Open, FileAccess.Read)));
        Task<CloudCredential> fetch = provider.FetchAsync(CancellationToken.None).AsTask();
        using StreamReader fromGrandchild = await opened.WaitAsync(TimeSpan.FromSeconds(30));
        string? pidLine = await fromGrandchild.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        int childPid = int.Parse(pidLine!, System.Globalization.CultureInfo.InvariantCulture);

        // The timeout runs on the fake clock: once its timer is armed (and the grandchild runs), move time past it.
        await time.WaitForTimerAsync(t => t.DueTime == TimeSpan.FromMilliseconds(500));
        time.Advance(TimeSpan.FromMilliseconds(500));
        Func<Task> act = () => fetch;

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain("command process timed out after 500 milliseconds");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));

        // The grandchild (sleep 300) was killed with the tree: its end of the FIFO closed as it died.
        (await fromGrandchild.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30))).Should().BeEmpty();
        IsAlive(childPid).Should().BeFalse("the whole process tree is killed on timeout");
    }

    private static async Task<string> MakeFifoAsync(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path } })!;
        await mkfifo.WaitForExitAsync();
        mkfifo.ExitCode.Should().Be(0);
        return path;
    }

    /// <summary>Whether a process runs (a zombie awaiting its reaper, or a process already exiting, counts as dead).</summary>
    private static bool IsAlive(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        if (Directory.Exists("/proc"))
        {
            try
            {
                // After "pid (comm) ": state, ppid, pgrp, session, tty_nr, tpgid, flags; PF_EXITING (0x4) is set once do_exit starts.
                string text = File.ReadAllText(stat);
                string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                const uint exiting = 0x4;
                return fields[0] != "Z" && (uint.Parse(fields[6], System.Globalization.CultureInfo.InvariantCulture) & exiting) == 0;
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

    [UnixOnlyFact]
    public async Task FetchAsync_TimeoutOnRealClock_DoesNotWaitForTheCommand()
    {
        string script = Script("sleep 30");
        ExternalProvider provider = CreateProvider(Quote(script), timeout: TimeSpan.FromMilliseconds(500), time: TimeProvider.System);
        var stopwatch = Stopwatch.StartNew();

        Func<Task> act = async () => await provider.FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain("command process timed out after 500 milliseconds");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }

    [UnixOnlyFact]
    public async Task FetchAsync_CallerCancels_ThrowsOperationCanceled()
    {
        string script = Script("sleep 30");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Func<Task> act = async () => await CreateProvider(Quote(script)).FetchAsync(cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [UnixOnlyFact]
    public async Task FetchAsync_NonJsonStdout_ThrowsParseErrorWithoutEchoingOutput()
    {
        string script = Script($"echo 'access_key_secret={Secret}'");

        Func<Task> act = async () => await CreateProvider(Quote(script)).FetchAsync(CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("failed to parse external command output");
        ex.Message.Should().NotContain("access_key_secret=");
        AssertNoSecrets(ex.Message);
        AssertNoSecrets(ex.ToString());
    }

    [UnixOnlyFact]
    public async Task FetchAsync_EmptyStdout_ThrowsParseError()
    {
        string script = Script("exit 0");

        Func<Task> act = async () => await CreateProvider(Quote(script)).FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("failed to parse external command output");
    }

    [UnixOnlyTheory]
    [InlineData("""{"mode":"AK","access_key_id":"id"}""", "access_key_id or access_key_secret is empty")]
    [InlineData("""{"mode":"AK","access_key_secret":"ext-ak-secret-SECRET"}""", "access_key_id or access_key_secret is empty")]
    [InlineData("""{"mode":"StsToken","access_key_id":"id","access_key_secret":"ext-ak-secret-SECRET"}""", "sts_token is empty")]
    [InlineData("""{"mode":"StsToken","access_key_id":"id","access_key_secret":"ext-ak-secret-SECRET","sts_token":"ext-sts-token-SECRET","expiration":"tomorrow"}""", "expiration is not a UTC time")]
    [InlineData("""{"mode":"StsToken","access_key_id":"id","access_key_secret":"ext-ak-secret-SECRET","sts_token":"ext-sts-token-SECRET","expiration":"2025-12-31T23:00:00Z"}""", "expired at 2025-12-31T23:00:00Z")]
    [InlineData("""["ext-ak-secret-SECRET"]""", "failed to parse external command output")]
    public async Task FetchAsync_InvalidCredentialJson_ThrowsSpecificError(string output, string expected)
    {
        string script = Script($"cat <<'EOF'\n{output}\nEOF");

        Func<Task> act = async () => await CreateProvider(Quote(script)).FetchAsync(CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain(expected);
        AssertNoSecrets(ex.Message);
    }

    [UnixOnlyFact]
    public async Task FetchAsync_HugeStdoutAndStderr_DoesNotDeadlock()
    {
        // 2 MB to stderr before the answer: a reader of only stdout (or a sequential reader) would block forever.
        string script = Script($$"""
            head -c 2000000 /dev/zero | tr '\0' 'e' >&2
            echo '{"mode":"AK","access_key_id":"big","access_key_secret":"{{Secret}}"}'
            head -c 2000000 /dev/zero | tr '\0' 'f' >&2
            """);

        CloudCredential credential = await CreateProvider(Quote(script)).FetchAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        credential.AccessKeyId.Should().Be("big");
    }

    [UnixOnlyFact]
    public async Task FetchAsync_StdoutOverLimit_ThrowsWithoutEchoing()
    {
        string script = Script("head -c 3000000 /dev/zero | tr '\\0' 'x'");

        Func<Task> act = async () => await CreateProvider(Quote(script)).FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain("failed to parse external command output").And.Contain("longer than").And.NotContain("xxxx");
    }

    [UnixOnlyFact]
    public async Task FetchAsync_CommandNotFound_ThrowsFailedToStart()
    {
        string missing = _dir.File("no-such-command");

        Func<Task> act = async () => await CreateProvider(Quote(missing) + " --token hidden-arg").FetchAsync(CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("failed to start external command").And.Contain("no-such-command").And.NotContain("hidden-arg");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task FetchAsync_EmptyCommand_ThrowsClearError(string command)
    {
        Func<Task> act = async () => await CreateProvider(command).FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("process_command").And.Contain("empty");
    }

    [Fact]
    public async Task FetchAsync_UnclosedQuote_ThrowsWithoutEchoingCommand()
    {
        Func<Task> act = async () => await CreateProvider("/bin/tool \"--secret=abc").FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain("unclosed double quote").And.NotContain("--secret=abc");
    }

    [UnixOnlyFact]
    public async Task FetchAsync_WithProfile_WritesBackAndPreservesUnknownFields()
    {
        string config = _dir.Write("config.json", """
            {"current":"ext","profiles":[
              {"name":"ext","mode":"External","process_command":"x","region_id":"cn-beijing","mystery":{"k":[1,2]}},
              {"name":"other","mode":"AK","access_key_id":"o","access_key_secret":"p"}],
             "unknown_top":true}
            """);
        string script = Script($$"""echo '{"mode":"StsToken","access_key_id":"STS.ext","access_key_secret":"{{Secret}}","sts_token":"{{Token}}","expiration":"2026-01-01T01:00:00Z"}'""");

        await CreateProvider(Quote(script), configPath: config).FetchAsync(CancellationToken.None);

        JsonObject root = JsonNode.Parse(File.ReadAllText(config))!.AsObject();
        JsonObject profile = root["profiles"]![0]!.AsObject();
        profile["access_key_id"]!.GetValue<string>().Should().Be("STS.ext");
        profile["access_key_secret"]!.GetValue<string>().Should().Be(Secret);
        profile["sts_token"]!.GetValue<string>().Should().Be(Token);
        profile["sts_expiration"]!.GetValue<long>().Should().Be(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds());
        profile["process_command"]!.GetValue<string>().Should().Be("x");
        profile["region_id"]!.GetValue<string>().Should().Be("cn-beijing");
        profile["mystery"]!.ToJsonString().Should().Be("""{"k":[1,2]}""");
        root["profiles"]![1]!["access_key_id"]!.GetValue<string>().Should().Be("o");
        root["unknown_top"]!.GetValue<bool>().Should().BeTrue();
        root["current"]!.GetValue<string>().Should().Be("ext");
    }

    [UnixOnlyFact]
    public async Task FetchAsync_AkModeWriteBack_StoresEmptyTokenAndZeroExpiration()
    {
        string config = _dir.Write("config.json", """{"profiles":[{"name":"ext","mode":"External","sts_token":"old"}]}""");
        string script = Script($$"""echo '{"mode":"AK","access_key_id":"ak","access_key_secret":"{{Secret}}"}'""");

        await CreateProvider(Quote(script), configPath: config).FetchAsync(CancellationToken.None);

        JsonNode profile = JsonNode.Parse(File.ReadAllText(config))!["profiles"]![0]!;
        profile["sts_token"]!.GetValue<string>().Should().BeEmpty();
        profile["sts_expiration"]!.GetValue<long>().Should().Be(0);
    }

    [UnixOnlyFact]
    public async Task FetchAsync_WriteBackFails_StillReturnsCredentialAndLogsWithoutSecrets()
    {
        string config = _dir.File("missing-config.json");
        string script = Script($$"""echo '{"mode":"AK","access_key_id":"ak","access_key_secret":"{{Secret}}"}'""");

        CloudCredential credential = await CreateProvider(Quote(script), configPath: config).FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("ak");
        _logs.GetSnapshot().Should().Contain(e => e.Id.Id == 3132 && e.Message.Contains("missing-config.json", StringComparison.Ordinal));
        AssertNoSecrets();
    }

    [Fact]
    public void ExternalSettings_ToString_HidesTheCommand()
    {
        var settings = new ExternalSpec { Command = "tool --token abc123", ConfigPath = "/cfg.json", ProfileName = "ext" };

        settings.Timeout.Should().Be(TimeSpan.FromSeconds(60));
        settings.ToString().Should().Contain("ext").And.NotContain("abc123");
    }
}
