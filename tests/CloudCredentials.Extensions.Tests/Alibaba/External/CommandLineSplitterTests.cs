using CloudCredentials.Processes;
using CloudCredentials.Alibaba.External;

namespace CloudCredentials.Tests.Alibaba.External;

public class CommandLineSplitterTests
{
    [Theory]
    [InlineData("cmd", new[] { "cmd" })]
    [InlineData("  cmd   a\tb  ", new[] { "cmd", "a", "b" })]
    [InlineData("cmd 'a b' \"c d\"", new[] { "cmd", "a b", "c d" })]
    [InlineData("cmd 'it''s'", new[] { "cmd", "its" })]
    [InlineData("cmd a\"b c\"d", new[] { "cmd", "ab cd" })]
    [InlineData("cmd '' \"\"", new[] { "cmd", "", "" })]
    [InlineData(@"cmd a\ b", new[] { "cmd", "a b" })]
    [InlineData(@"cmd \'x\'", new[] { "cmd", "'x'" })]
    [InlineData(@"cmd \\server", new[] { "cmd", @"\server" })]
    [InlineData(@"cmd 'a\b'", new[] { "cmd", @"a\b" })]
    [InlineData(@"cmd ""a\""b""", new[] { "cmd", "a\"b" })]
    [InlineData(@"cmd ""a\\b""", new[] { "cmd", @"a\b" })]
    [InlineData(@"cmd ""\$HOME \`x\`""", new[] { "cmd", "$HOME `x`" })]
    [InlineData(@"cmd ""a\nb""", new[] { "cmd", @"a\nb" })]
    [InlineData("cmd \"it's\"", new[] { "cmd", "it's" })]
    [InlineData("cmd 'say \"hi\"'", new[] { "cmd", "say \"hi\"" })]
    [InlineData("cmd $HOME", new[] { "cmd", "$HOME" })]
    [InlineData("/usr/bin/tool --profile=prod --json", new[] { "/usr/bin/tool", "--profile=prod", "--json" })]
    public void Split_Posix_FollowsShellWordRules(string command, string[] expected)
    {
        CommandLineSplitter.Split(command, windows: false).Should().Equal(expected);
    }

    [Theory]
    [InlineData("cmd a \\\nb", new[] { "cmd", "a", "b" })]
    [InlineData("cmd ab\\\ncd", new[] { "cmd", "abcd" })]
    [InlineData("cmd ab\\\r\ncd", new[] { "cmd", "abcd" })]
    [InlineData("cmd \"ab\\\ncd\"", new[] { "cmd", "abcd" })]
    [InlineData("cmd 'ab\\\ncd'", new[] { "cmd", "ab\\\ncd" })]
    [InlineData("cmd \"a\nb\"", new[] { "cmd", "a\nb" })]
    [InlineData("cmd\na", new[] { "cmd", "a" })]
    public void Split_PosixBackslashNewline_IsLineContinuation(string command, string[] expected)
    {
        CommandLineSplitter.Split(command, windows: false).Should().Equal(expected);
    }

    [Theory]
    [InlineData(@"C:\tools\cred.exe --json", new[] { @"C:\tools\cred.exe", "--json" })]
    [InlineData(@"""C:\Program Files\cred.exe"" a", new[] { @"C:\Program Files\cred.exe", "a" })]
    [InlineData(@"cmd ""say \""hi\""""", new[] { "cmd", "say \"hi\"" })]
    [InlineData(@"cmd ""a\\b""", new[] { "cmd", @"a\\b" })]
    [InlineData(@"cmd a\ b", new[] { "cmd", @"a\", "b" })]
    [InlineData(@"cmd \\server\share", new[] { "cmd", @"\\server\share" })]
    [InlineData("cmd 'a b'", new[] { "cmd", "a b" })]
    [InlineData("cmd \"\"", new[] { "cmd", "" })]
    public void Split_Windows_KeepsBackslashesLiteral(string command, string[] expected)
    {
        CommandLineSplitter.Split(command, windows: true).Should().Equal(expected);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("   \t\n", false)]
    [InlineData("", true)]
    public void Split_BlankCommand_ReturnsNoArguments(string command, bool windows)
    {
        CommandLineSplitter.Split(command, windows).Should().BeEmpty();
    }

    [Theory]
    [InlineData("cmd \"secret-arg", false, "unclosed double quote")]
    [InlineData("cmd 'secret-arg", false, "unclosed single quote")]
    [InlineData("cmd \"secret-arg", true, "unclosed double quote")]
    [InlineData("cmd 'secret-arg", true, "unclosed single quote")]
    [InlineData("cmd secret-arg\\", false, "backslash")]
    public void Split_Malformed_ThrowsClearErrorWithoutEchoingCommand(string command, bool windows, string expected)
    {
        Action act = () => CommandLineSplitter.Split(command, windows);

        act.Should().Throw<FormatException>()
            .Which.Message.Should().Contain(expected).And.NotContain("secret-arg");
    }

    [Fact]
    public void Split_WindowsTrailingBackslash_IsLiteral()
    {
        CommandLineSplitter.Split(@"cmd C:\dir\", windows: true).Should().Equal("cmd", @"C:\dir\");
    }
}
