using CloudCredentials.Emulator.Internal;

namespace CloudCredentials.Emulator.Tests.Internal;

public class EmulatorCommandLineTests
{
    [Fact]
    public void CommandLine_AllOptions_Parsed()
    {
        string? error = EmulatorCommandLine.TryParse(
            ["--port", "5081", "--lifetime", "60", "--require-imdsv2", "--role-name", "Demo", "--credentials-path", "/creds"], out EmulatorCommandLine commandLine);

        error.Should().BeNull();
        commandLine.Options.Port.Should().Be(5081);
        commandLine.Options.CredentialLifetime.Should().Be(TimeSpan.FromSeconds(60));
        commandLine.Options.RequireImdsV2.Should().BeTrue();
        commandLine.Options.RoleName.Should().Be("Demo");
        commandLine.Options.CredentialsUriPath.Should().Be("/creds");
    }

    [Fact]
    public void CommandLine_Defaults_Port5080()
    {
        EmulatorCommandLine.TryParse([], out EmulatorCommandLine commandLine).Should().BeNull();

        commandLine.Options.Port.Should().Be(5080);
        commandLine.ShowHelp.Should().BeFalse();
    }

    [Theory]
    [InlineData("--port")]
    [InlineData("--port", "70000")]
    [InlineData("--lifetime", "0")]
    [InlineData("--credentials-path", "creds")]
    [InlineData("--bogus")]
    public void CommandLine_Invalid_ReturnsError(params string[] args)
        => EmulatorCommandLine.TryParse(args, out _).Should().NotBeNullOrEmpty();
}
