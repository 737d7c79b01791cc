using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.Static;
using CloudCredentials.Credentials;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.DefaultChain;

/// <summary>The profile providers and the default chain fail fast, naming the file, on a FIFO or an oversized profile file.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ProfileFileReadTests : IDisposable
{
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    private static ICredentialProvider Build(CredentialSpec spec) => TestBuildContext.Build(spec);

    [UnixOnlyFact]
    public async Task CliProfile_ConfigJsonIsAFifo_FailsFastNamingTheFile()
    {
        Directory.CreateDirectory(Path.Combine(_env.Home, ".aliyun"));
        string fifo = UnixFiles.MakeFifo(Path.Combine(_env.Home, ".aliyun", "config.json"));
        var provider = new CliProfileProvider(new CloudCredentialsOptions(), null, null, Build);

        CredentialUnavailableException ex = await UnixFiles.ThrowsWithinTenSecondsAsync<CredentialUnavailableException>(
            () => provider.FetchAsync(CancellationToken.None).AsTask());

        ex.Message.Should().StartWith("cli_profile: ").And.Contain($"{fifo} is not a regular file (it is a named pipe (FIFO))");
    }

    [UnixOnlyFact]
    public async Task Ini_CredentialsFileIsAFifo_FailsFastNamingTheFile()
    {
        string fifo = UnixFiles.MakeFifo(Path.Combine(_env.Home, "credentials"));
        _env.Set("ALIBABA_CLOUD_CREDENTIALS_FILE", fifo);
        var provider = new IniProfileProvider(new CloudCredentialsOptions(), null, Build);

        CredentialUnavailableException ex = await UnixFiles.ThrowsWithinTenSecondsAsync<CredentialUnavailableException>(
            () => provider.FetchAsync(CancellationToken.None).AsTask());

        ex.Message.Should().StartWith("profile: ").And.Contain($"{fifo} is not a regular file (it is a named pipe (FIFO))");
    }

    [Fact]
    public async Task Ini_CredentialsFileLargerThanOneMebibyte_FailsNamingTheFile()
    {
        string path = _env.WriteHomeFile(
            ".alibabacloud/credentials",
            "[default]\ntype = access_key\naccess_key_id = id\naccess_key_secret = s\n" + new string('#', 2 * 1024 * 1024) + "\n");
        var provider = new IniProfileProvider(new CloudCredentialsOptions(), null, Build);

        Func<Task> act = async () => await provider.FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().StartWith("profile: ").And.Contain($"{path} is larger than 1 MiB");
    }

    [UnixOnlyFact]
    public async Task Ini_SymlinkToARegularCredentialsFile_StillWorks()
    {
        string target = _env.WriteHomeFile("real-credentials", "[default]\ntype = access_key\naccess_key_id = id-link\naccess_key_secret = s\n");
        string link = Path.Combine(_env.Home, "credentials-link");
        File.CreateSymbolicLink(link, target);
        _env.Set("ALIBABA_CLOUD_CREDENTIALS_FILE", link);

        CloudCredential credential = await new IniProfileProvider(new CloudCredentialsOptions(), null, Build).FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("id-link");
    }

    [UnixOnlyFact]
    public async Task DefaultChain_ConfigJsonIsAFifo_MovesOnAndReportsTheFile()
    {
        Directory.CreateDirectory(Path.Combine(_env.Home, ".aliyun"));
        string fifo = UnixFiles.MakeFifo(Path.Combine(_env.Home, ".aliyun", "config.json"));
        _env.WriteHomeFile(".alibabacloud/credentials", "[default]\ntype = access_key\naccess_key_id = id-ini\naccess_key_secret = s\n");
        ICredentialProvider chain = DefaultChainSpec.Resolve(new CloudCredentialsOptions()).Build(TestBuildContext.Create());

        Task<CloudCredential> fetch = Task.Run(() => chain.FetchAsync(CancellationToken.None).AsTask());
        CloudCredential credential = await fetch.WaitAsync(TimeSpan.FromSeconds(10));

        credential.AccessKeyId.Should().Be("id-ini", "the chain goes on past the FIFO at {0}", fifo);
    }
}
