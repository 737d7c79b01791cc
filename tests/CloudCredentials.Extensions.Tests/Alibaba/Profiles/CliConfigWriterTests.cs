using System.Text.Json.Nodes;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.Profiles;

public class CliConfigWriterTests : IDisposable
{
    private const string Config = """
        {
          "current": "ext",
          "profiles": [
            { "name": "default", "mode": "AK", "access_key_id": "id0", "access_key_secret": "s0", "region_id": "cn-hangzhou" },
            { "name": "ext", "mode": "External", "process_command": "/bin/cred", "custom_field": { "nested": [1, 2.50, true] }, "big": 12345678901234567890 }
          ],
          "meta_path": "/x",
          "unknown_top": { "keep": "me" }
        }
        """;

    private readonly SessionTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task UpdateProfileAsync_ChangesOnlyTheProfile_PreservesUnknownFields()
    {
        string path = _dir.Write("config.json", Config);

        await new CliConfigWriter().UpdateProfileAsync(path, "ext", p =>
        {
            p["access_key_id"] = "newId";
            p["sts_expiration"] = 1767225600L;
        }, CancellationToken.None);

        JsonObject root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root["current"]!.GetValue<string>().Should().Be("ext");
        root["meta_path"]!.GetValue<string>().Should().Be("/x");
        root["unknown_top"]!["keep"]!.GetValue<string>().Should().Be("me");
        JsonArray profiles = root["profiles"]!.AsArray();
        profiles.Should().HaveCount(2);
        profiles[0]!.ToJsonString().Should().Be(JsonNode.Parse(Config)!["profiles"]![0]!.ToJsonString());
        JsonObject ext = profiles[1]!.AsObject();
        ext["access_key_id"]!.GetValue<string>().Should().Be("newId");
        ext["sts_expiration"]!.GetValue<long>().Should().Be(1767225600L);
        ext["process_command"]!.GetValue<string>().Should().Be("/bin/cred");
        ext["custom_field"]!.ToJsonString().Should().Be("""{"nested":[1,2.50,true]}""");
        ext["big"]!.ToJsonString().Should().Be("12345678901234567890");
    }

    [Fact]
    public async Task UpdateProfileAsync_LeavesNoTemporaryFiles()
    {
        string path = _dir.Write("config.json", Config);

        await new CliConfigWriter().UpdateProfileAsync(path, "ext", p => p["x"] = 1, CancellationToken.None);

        Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Should().BeEquivalentTo("config.json", "config.json.lock");
    }

    [Fact]
    public async Task UpdateProfileAsync_ManyConcurrentUpdates_AllLandAndFileStaysValidJson()
    {
        string path = _dir.Write("config.json", Config);
        using var stop = new CancellationTokenSource();
        int invalidReads = 0;

        // A reader that keeps parsing the file while writers replace it: it must never see a partial document.
        Task reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    JsonNode.Parse(File.ReadAllText(path));
                }
                catch (System.Text.Json.JsonException)
                {
                    Interlocked.Increment(ref invalidReads);
                }
                catch (IOException)
                {
                    // Windows may briefly refuse a read during the rename.
                }
            }
        });

        const int Writers = 40;
        Task[] writers = Enumerable.Range(0, Writers)
            .Select(i => Task.Run(() =>
                new CliConfigWriter().UpdateProfileAsync(path, i % 2 == 0 ? "ext" : "default", p => p[$"field_{i}"] = i, CancellationToken.None)))
            .ToArray();
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await reader;

        invalidReads.Should().Be(0);
        JsonObject root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        JsonArray profiles = root["profiles"]!.AsArray();
        for (int i = 0; i < Writers; i++)
        {
            JsonNode profile = profiles[i % 2 == 0 ? 1 : 0]!;
            profile[$"field_{i}"]!.GetValue<int>().Should().Be(i);
        }

        root["unknown_top"]!["keep"]!.GetValue<string>().Should().Be("me");
    }

    [Fact]
    public async Task UpdateProfileAsync_LockFileHeldByAnotherWriter_WaitsThenWrites()
    {
        string path = _dir.Write("config.json", Config);
        var held = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        // Up to 30 s of 10 ms retries: the first attempt at the lock fails before UpdateProfileAsync returns (a writer that
        // ignored the lock would have written, synchronously, by then), and none succeeds until the lock is released.
        Task update = new CliConfigWriter(lockAttempts: 3000, lockRetryDelay: TimeSpan.FromMilliseconds(10))
            .UpdateProfileAsync(path, "ext", p => p["after_lock"] = true, CancellationToken.None);
        update.IsCompleted.Should().BeFalse("the lock file is held");
        JsonNode.Parse(File.ReadAllText(path))!["profiles"]![1]!["after_lock"].Should().BeNull();

        await held.DisposeAsync();
        await update.WaitAsync(TimeSpan.FromSeconds(10));

        JsonNode.Parse(File.ReadAllText(path))!["profiles"]![1]!["after_lock"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task UpdateProfileAsync_LockNeverReleased_FailsAfterBoundedAttempts()
    {
        string path = _dir.Write("config.json", Config);
        using var held = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        Func<Task> act = () => new CliConfigWriter(lockAttempts: 3, lockRetryDelay: TimeSpan.FromMilliseconds(5))
            .UpdateProfileAsync(path, "ext", p => p["x"] = 1, CancellationToken.None);

        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should().Contain("config.json.lock").And.Contain("3 attempt");
        File.ReadAllText(path).Should().Be(Config);
    }

    [Fact]
    public async Task UpdateProfileAsync_MissingProfile_ThrowsAndLeavesFileUntouched()
    {
        string path = _dir.Write("config.json", Config);

        Func<Task> act = () => new CliConfigWriter().UpdateProfileAsync(path, "nope", p => p["x"] = 1, CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain("'nope'").And.Contain(path);
        File.ReadAllText(path).Should().Be(Config);
    }

    [Fact]
    public async Task UpdateProfileAsync_MissingFile_ThrowsFileNotFound()
    {
        string path = _dir.File("absent.json");

        Func<Task> act = () => new CliConfigWriter().UpdateProfileAsync(path, "ext", p => p["x"] = 1, CancellationToken.None);

        await act.Should().ThrowAsync<FileNotFoundException>();
        File.Exists(path).Should().BeFalse();
        File.Exists(path + ".lock").Should().BeFalse();
    }

    [Fact]
    public async Task UpdateProfileAsync_InvalidJson_ThrowsWithoutQuotingContent()
    {
        string path = _dir.Write("config.json", "{ \"profiles\": [ secret-value ");

        Func<Task> act = () => new CliConfigWriter().UpdateProfileAsync(path, "ext", p => p["x"] = 1, CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain("not valid JSON").And.NotContain("secret");
    }

    [UnixOnlyFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task UpdateProfileAsync_Unix_KeepsOwnerOnlyMode()
    {
        string path = _dir.Write("config.json", Config);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await new CliConfigWriter().UpdateProfileAsync(path, "ext", p => p["x"] = 1, CancellationToken.None);

        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(path + ".lock").Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [UnixOnlyFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task UpdateProfileAsync_Unix_KeepsExistingWiderMode()
    {
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        string path = _dir.Write("config.json", Config);
        File.SetUnixFileMode(path, mode);

        await new CliConfigWriter().UpdateProfileAsync(path, "ext", p => p["x"] = 1, CancellationToken.None);

        File.GetUnixFileMode(path).Should().Be(mode);
    }

    [Fact]
    public async Task UpdateProfileAsync_Cancelled_WhileWaitingForLock_Throws()
    {
        string path = _dir.Write("config.json", Config);
        using var held = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Func<Task> act = () => new CliConfigWriter(lockAttempts: 10_000, lockRetryDelay: TimeSpan.FromMilliseconds(10))
            .UpdateProfileAsync(path, "ext", p => p["x"] = 1, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}
