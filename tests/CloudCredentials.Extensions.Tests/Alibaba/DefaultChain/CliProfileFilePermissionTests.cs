using System.Runtime.Versioning;
using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Credentials;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.Alibaba.DefaultChain;

/// <summary>
/// An External profile runs its command only from a config.json that no other user can change (neither the file nor
/// its directory is group- or other-writable); other profiles from such a file work, with one warning.
/// </summary>
[Collection(EnvironmentCollection.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class CliProfileFilePermissionTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly EnvironmentScope _env = new();
    private readonly FakeLogCollector _logs = new();
    private readonly string _dir;
    private readonly string _config;
    private readonly string _ranMarker;

    public CliProfileFilePermissionTests()
    {
        _dir = Path.Combine(_env.Home, ".aliyun");
        Directory.CreateDirectory(_dir);
        _config = Path.Combine(_dir, "config.json");
        _ranMarker = Path.Combine(_env.Home, "command-ran");
    }

    public void Dispose() => _env.Dispose();

    private CliProfileProvider Provider()
    {
        ProviderBuildContext context = TestBuildContext.Create();
        return new CliProfileProvider(new CloudCredentialsOptions(), _config, null, spec => spec.Build(context), _logs.CreateFactory().CreateLogger<CliProfileProvider>());
    }

    /// <summary>Writes config.json with an External profile whose script leaves a marker when it runs, and sets the modes.</summary>
    private void WriteExternalConfig(UnixFileMode fileMode, UnixFileMode directoryMode)
    {
        string script = _env.WriteHomeFile("cred.sh", $$"""
            touch '{{_ranMarker}}'
            printf '{"mode":"AK","access_key_id":"ext-id","access_key_secret":"s"}'
            """);
        File.WriteAllText(_config, $$"""{"current":"ext","profiles":[{"name":"ext","mode":"External","process_command":"/bin/sh '{{script}}'"}]}""");
        File.SetUnixFileMode(_config, fileMode);
        File.SetUnixFileMode(_dir, directoryMode);
    }

    private async Task<CredentialUnavailableException> FailsAsync(ICredentialProvider provider)
    {
        Func<Task> act = async () => await provider.FetchAsync(CancellationToken.None);
        return (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
    }

    [UnixOnlyFact]
    public async Task External_WorldWritableConfigJson_IsRefusedWithTheChmod_AndRunsOnceFixed()
    {
        WriteExternalConfig((UnixFileMode)0b110_110_110, PrivateDirectory);
        CliProfileProvider provider = Provider();

        CredentialUnavailableException ex = await FailsAsync(provider);

        ex.Message.Should().StartWith("cli_profile: ")
            .And.Contain($"{_config} is writable by other users (mode 0666); run 'chmod go-w {_config}'")
            .And.Contain("External profile 'ext'");
        File.Exists(_ranMarker).Should().BeFalse("the command of an External profile in a world-writable file must not run");

        File.SetUnixFileMode(_config, Private);
        CloudCredential credential = await provider.FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("ext-id");
        File.Exists(_ranMarker).Should().BeTrue();
    }

    [UnixOnlyFact]
    public async Task External_GroupWritableConfigDirectory_IsRefusedNamingTheDirectory()
    {
        WriteExternalConfig(Private, PrivateDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);

        CredentialUnavailableException ex = await FailsAsync(Provider());

        ex.Message.Should().Contain($"{_dir} is writable by other users (mode 0770)").And.Contain($"run 'chmod go-w {_dir}'");
        File.Exists(_ranMarker).Should().BeFalse();
    }

    [UnixOnlyFact]
    public async Task External_PrivateFileInAStickyWorldWritableDirectory_Runs()
    {
        // Like /tmp (1777): others may create files there but not replace or change ours.
        WriteExternalConfig(Private, (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit);

        CloudCredential credential = await Provider().FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("ext-id");
    }

    [UnixOnlyFact]
    public async Task OtherModes_FromAWorldWritableConfigJson_WarnOncePerFile()
    {
        File.WriteAllText(_config, """{"current":"missing","profiles":[{"name":"ak","mode":"AK","access_key_id":"id","access_key_secret":"s"}]}""");
        File.SetUnixFileMode(_config, (UnixFileMode)0b110_110_110);
        File.SetUnixFileMode(_dir, PrivateDirectory);
        CliProfileProvider provider = Provider();

        // The file is read again on every failing fetch; the warning is given once.
        (await FailsAsync(provider)).Message.Should().Contain("profile 'missing' not found");
        (await FailsAsync(provider)).Message.Should().Contain("profile 'missing' not found");

        FakeLogRecord warning = _logs.GetSnapshot().Should().ContainSingle(e => e.Id.Name == "ProfileFileWritableByOthers").Which;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Contain($"{_config} is writable by other users (mode 0666); run 'chmod go-w {_config}'");
    }

    [UnixOnlyFact]
    public async Task OtherModes_FromAPrivateConfigJson_DoNotWarn()
    {
        File.WriteAllText(_config, """{"current":"ak","profiles":[{"name":"ak","mode":"AK","access_key_id":"id","access_key_secret":"s"}]}""");
        File.SetUnixFileMode(_config, Private);
        File.SetUnixFileMode(_dir, PrivateDirectory);

        (await Provider().FetchAsync(CancellationToken.None)).AccessKeyId.Should().Be("id");

        _logs.GetSnapshot().Should().NotContain(e => e.Id.Name == "ProfileFileWritableByOthers");
    }
}
