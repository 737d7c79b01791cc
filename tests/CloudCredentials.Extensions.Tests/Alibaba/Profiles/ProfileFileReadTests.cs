using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Tests.Alibaba.DefaultChain;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.Profiles;

/// <summary>config.json is read only when it is a regular file of at most 1 MiB, by the reader and by the write-back.</summary>
public sealed class ProfileFileReadTests : IDisposable
{
    private const string Config = """{"current":"a","profiles":[{"name":"a","mode":"AK","access_key_id":"id-a","access_key_secret":"s"}]}""";

    private readonly SessionTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A valid config.json padded with whitespace to 2 MiB: before the cap, it loaded.</summary>
    private static string TwoMebibyteConfig => Config[..^1] + new string(' ', 2 * 1024 * 1024) + "}";

    [UnixOnlyFact]
    public async Task Load_ConfigJsonIsAFifo_FailsFastNamingTheFile()
    {
        string fifo = UnixFiles.MakeFifo(_dir.File("config.json"));

        CredentialUnavailableException ex = await UnixFiles.ThrowsWithinTenSecondsAsync<CredentialUnavailableException>(
            () => Task.FromResult(CliConfigFile.Load(fifo, "cli_profile")));

        ex.ProviderName.Should().Be("cli_profile");
        ex.Reason.Should().StartWith($"{fifo} is not a regular file (it is a named pipe (FIFO))");
    }

    [Fact]
    public void Load_ConfigJsonLargerThanOneMebibyte_FailsNamingTheFileAndTheCap()
    {
        string path = _dir.Write("config.json", TwoMebibyteConfig);

        Action act = () => CliConfigFile.Load(path, "cli_profile");

        act.Should().Throw<CredentialUnavailableException>().Which.Reason.Should().StartWith($"{path} is larger than 1 MiB");
    }

    [UnixOnlyFact]
    public void Load_SymlinkToARegularConfigJson_StillWorks()
    {
        string target = _dir.Write("real-config.json", Config);
        string link = _dir.File("config.json");
        File.CreateSymbolicLink(link, target);

        CliConfigFile file = CliConfigFile.Load(link, "cli_profile");

        file.Find("a")!.GetString("access_key_id").Should().Be("id-a");
    }

    [UnixOnlyFact]
    public async Task WriteBack_ConfigJsonIsAFifo_FailsFastNamingTheFile()
    {
        string fifo = UnixFiles.MakeFifo(_dir.File("config.json"));
        var writer = new CliConfigWriter();

        InvalidDataException ex = await UnixFiles.ThrowsWithinTenSecondsAsync<InvalidDataException>(
            () => writer.UpdateProfileAsync(fifo, "a", p => p["access_key_id"] = "new", CancellationToken.None));

        ex.Message.Should().StartWith($"{fifo} is not a regular file (it is a named pipe (FIFO))");
    }

    [Fact]
    public async Task WriteBack_ConfigJsonLargerThanOneMebibyte_FailsAndLeavesTheFileAlone()
    {
        string path = _dir.Write("config.json", TwoMebibyteConfig);

        Func<Task> act = () => new CliConfigWriter().UpdateProfileAsync(path, "a", p => p["access_key_id"] = "new", CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().StartWith($"{path} is larger than 1 MiB");
        File.ReadAllText(path).Should().Be(TwoMebibyteConfig);
    }
}
