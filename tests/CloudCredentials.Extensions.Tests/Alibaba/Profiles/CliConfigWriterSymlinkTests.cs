using System.Text.Json.Nodes;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.Profiles;

/// <summary>
/// A config.json that is a symbolic link (dotfile managers) is written through to the link's final target: the link
/// stays a link, the target gets the new values, the temporary file is made and renamed beside the target, and the
/// target is locked too.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CliConfigWriterSymlinkTests : IDisposable
{
    private const string Config = """
        {
          "current": "oauth",
          "profiles": [
            { "name": "oauth", "mode": "OAuth", "oauth_refresh_token": "old-refresh-SECRET" }
          ]
        }
        """;

    private readonly SessionTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Dotfiles => Directory.CreateDirectory(Path.Combine(_dir.Path, "dotfiles")).FullName;

    private string Aliyun => Directory.CreateDirectory(Path.Combine(_dir.Path, ".aliyun")).FullName;

    private static string RefreshToken(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["profiles"]![0]!["oauth_refresh_token"]!.GetValue<string>();

    [UnixOnlyFact]
    public async Task UpdateProfileAsync_AbsoluteSymlink_WritesThroughToTargetAndKeepsTheLink()
    {
        string target = Path.Combine(Dotfiles, "aliyun-config.json");
        File.WriteAllText(target, Config);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string link = Path.Combine(Aliyun, "config.json");
        File.CreateSymbolicLink(link, target);

        await new CliConfigWriter().UpdateProfileAsync(link, "oauth", p => p["oauth_refresh_token"] = "new-refresh-SECRET", CancellationToken.None);

        new FileInfo(link).LinkTarget.Should().Be(target, "the link must stay a link to the dotfile");
        RefreshToken(target).Should().Be("new-refresh-SECRET");
        RefreshToken(link).Should().Be("new-refresh-SECRET");
        File.GetUnixFileMode(target).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.GetFiles(Dotfiles).Select(Path.GetFileName).Should().BeEquivalentTo("aliyun-config.json", "aliyun-config.json.lock");
        Directory.GetFiles(Aliyun).Select(Path.GetFileName).Should().NotContain(name => name!.Contains(".tmp-", StringComparison.Ordinal));
    }

    [UnixOnlyFact]
    public async Task UpdateProfileAsync_RelativeSymlinkChain_WritesThroughToTheFinalTarget()
    {
        string target = Path.Combine(Dotfiles, "aliyun-config.json");
        File.WriteAllText(target, Config);
        string middle = Path.Combine(Dotfiles, "current.json");
        File.CreateSymbolicLink(middle, "aliyun-config.json");
        string link = Path.Combine(Aliyun, "config.json");
        File.CreateSymbolicLink(link, Path.Combine("..", "dotfiles", "current.json"));

        await new CliConfigWriter().UpdateProfileAsync(link, "oauth", p => p["oauth_refresh_token"] = "new-refresh-SECRET", CancellationToken.None);

        new FileInfo(link).LinkTarget.Should().Be(Path.Combine("..", "dotfiles", "current.json"));
        new FileInfo(middle).LinkTarget.Should().Be("aliyun-config.json");
        RefreshToken(target).Should().Be("new-refresh-SECRET");
        new FileInfo(target).LinkTarget.Should().BeNull("the final target stays a regular file");
    }

    [UnixOnlyFact]
    public async Task UpdateProfileAsync_Symlink_WaitsForTheTargetsLock()
    {
        string target = Path.Combine(Dotfiles, "aliyun-config.json");
        File.WriteAllText(target, Config);
        string link = Path.Combine(Aliyun, "config.json");
        File.CreateSymbolicLink(link, target);

        // Another writer that reaches the same file by its own path (or by another link) holds the target's lock.
        var held = new FileStream(target + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Task update = new CliConfigWriter(lockAttempts: 500, lockRetryDelay: TimeSpan.FromMilliseconds(10))
            .UpdateProfileAsync(link, "oauth", p => p["oauth_refresh_token"] = "new-refresh-SECRET", CancellationToken.None);
        await Task.Delay(150);
        update.IsCompleted.Should().BeFalse("the target's lock is held");
        RefreshToken(target).Should().Be("old-refresh-SECRET");

        await held.DisposeAsync();
        await update.WaitAsync(TimeSpan.FromSeconds(10));

        RefreshToken(target).Should().Be("new-refresh-SECRET");
        new FileInfo(link).LinkTarget.Should().Be(target);
    }

    [UnixOnlyFact]
    public async Task UpdateProfileAsync_TwoLinksToOneTarget_ConcurrentUpdatesAllLand()
    {
        string target = Path.Combine(Dotfiles, "aliyun-config.json");
        File.WriteAllText(target, Config);
        string linkA = Path.Combine(Aliyun, "config.json");
        File.CreateSymbolicLink(linkA, target);
        string linkB = Path.Combine(_dir.Path, "other-config.json");
        File.CreateSymbolicLink(linkB, target);

        const int Writers = 20;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() =>
            new CliConfigWriter().UpdateProfileAsync(i % 2 == 0 ? linkA : linkB, "oauth", p => p[$"field_{i}"] = i, CancellationToken.None))));

        JsonNode profile = JsonNode.Parse(File.ReadAllText(target))!["profiles"]![0]!;
        for (int i = 0; i < Writers; i++)
        {
            profile[$"field_{i}"]!.GetValue<int>().Should().Be(i);
        }

        new FileInfo(linkA).LinkTarget.Should().Be(target);
        new FileInfo(linkB).LinkTarget.Should().Be(target);
    }

    [UnixOnlyFact]
    public async Task UpdateProfileAsync_DanglingSymlink_ThrowsFileNotFoundAndCreatesNothing()
    {
        string link = Path.Combine(Aliyun, "config.json");
        string target = Path.Combine(Dotfiles, "missing.json");
        File.CreateSymbolicLink(link, target);

        Func<Task> act = () => new CliConfigWriter().UpdateProfileAsync(link, "oauth", p => p["x"] = 1, CancellationToken.None);

        await act.Should().ThrowAsync<FileNotFoundException>();
        File.Exists(target).Should().BeFalse();
        new FileInfo(link).LinkTarget.Should().Be(target);
        Directory.GetFiles(Dotfiles).Should().BeEmpty();
    }
}
