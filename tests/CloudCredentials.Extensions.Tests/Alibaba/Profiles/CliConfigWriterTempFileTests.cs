using System.Text.Json.Nodes;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.Profiles;

/// <summary>
/// The writer's temporary files: a writer killed mid-write (kill -9) leaves <c>.config.json.tmp-&lt;guid&gt;</c> holding
/// the secret; the next write removes every such file of this library while it holds the lock, and only those. A temp
/// file is created with mode 600, so it is never readable by others, not even before its first byte.
/// </summary>
public sealed class CliConfigWriterTempFileTests : IDisposable
{
    private const string Config = """
        { "profiles": [ { "name": "oauth", "mode": "OAuth", "oauth_refresh_token": "refresh-SECRET" } ] }
        """;

    private readonly SessionTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string TempName(string file) => $".{file}.tmp-{Guid.NewGuid():N}";

    [Fact]
    public async Task UpdateProfileAsync_RemovesTempFilesLeftByCrashedWriters()
    {
        string path = _dir.Write("config.json", Config);
        string[] stale = Enumerable.Range(0, 9).Select(_ => _dir.Write(TempName("config.json"), Config)).ToArray();

        await new CliConfigWriter().UpdateProfileAsync(path, "oauth", p => p["x"] = 1, CancellationToken.None);

        stale.Should().OnlyContain(file => !File.Exists(file), "a crashed writer's temp files hold the old secret");
        Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Should().BeEquivalentTo("config.json", "config.json.lock");
        JsonNode.Parse(File.ReadAllText(path))!["profiles"]![0]!["x"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task UpdateProfileAsync_KeepsFilesThatAreNotItsOwnTempFiles()
    {
        string path = _dir.Write("config.json", Config);
        string[] others =
        [
            _dir.Write(TempName("other.json"), "{}"),              // another file's temp file
            _dir.Write(".config.json.tmp-backup", "{}"),            // not a 32-digit hex suffix
            _dir.Write($".config.json.tmp-{Guid.NewGuid():N}x", "{}"),
            _dir.Write($"config.json.tmp-{Guid.NewGuid():N}", "{}"), // no leading dot
            _dir.Write("config.json.bak", "{}"),
        ];

        await new CliConfigWriter().UpdateProfileAsync(path, "oauth", p => p["x"] = 1, CancellationToken.None);

        others.Should().OnlyContain(file => File.Exists(file));
    }

    [UnixOnlyFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task UpdateProfileAsync_Symlink_RemovesStaleTempFilesBesideTheTarget()
    {
        string dotfiles = Directory.CreateDirectory(_dir.File("dotfiles")).FullName;
        string target = Path.Combine(dotfiles, "aliyun.json");
        File.WriteAllText(target, Config);
        string link = _dir.File("config.json");
        File.CreateSymbolicLink(link, target);
        string staleBesideTarget = Path.Combine(dotfiles, TempName("aliyun.json"));
        File.WriteAllText(staleBesideTarget, Config);
        string staleBesideLink = _dir.Write(TempName("config.json"), Config); // left by a writer that did not follow links

        await new CliConfigWriter().UpdateProfileAsync(link, "oauth", p => p["x"] = 1, CancellationToken.None);

        File.Exists(staleBesideTarget).Should().BeFalse();
        File.Exists(staleBesideLink).Should().BeFalse();
    }

    [UnixOnlyFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void CreateTempFile_IsOwnerOnlyBeforeItsFirstByte()
    {
        string path = _dir.Write("config.json", Config);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using FileStream temp = AtomicFileWriter.CreateTempFile(path, out string tempPath);

        temp.Length.Should().Be(0);
        Path.GetDirectoryName(tempPath).Should().Be(_dir.Path);
        Path.GetFileName(tempPath).Should().MatchRegex(@"^\.config\.json\.tmp-[0-9a-f]{32}$");
        File.GetUnixFileMode(tempPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the mode is given to open(2): the umask can only narrow it");
    }
}
