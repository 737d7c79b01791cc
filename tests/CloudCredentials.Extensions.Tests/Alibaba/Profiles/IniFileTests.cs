using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Alibaba.Static;

namespace CloudCredentials.Tests.Alibaba.Profiles;

/// <summary>
/// Inline comments and quoted values (issue 10, item 10): Go's ini, Node's ini and Python strip them, so the parser
/// does too — before, <c>type = access_key   # or ...</c> was read as the type "access_key   # or ...".
/// </summary>
public sealed class IniFileTests
{
    /// <summary>The INI example of the README ("CLI profiles and the INI file"), verbatim.</summary>
    private const string ReadmeExample = """
        [default]
        type = access_key                 # or ram_role_arn, oidc_role_arn, ecs_ram_role
        access_key_id = LTAI...
        access_key_secret = ...
        # ram_role_arn:   role_arn, role_session_name (required, as upstream), policy (+ access_key_id/secret)
        # oidc_role_arn:  role_arn, oidc_provider_arn, oidc_token_file_path, role_session_name
        # ecs_ram_role:   role_name
        """;

    private static string? Value(string line) => IniFile.Parse("/c", "[s]\n" + line + "\n").Section("s")!.GetValueOrDefault("k");

    [Fact]
    public void ReadmeExample_IsAnAccessKey()
        => IniProfileReader.ToSpec(IniFile.Parse("/c", ReadmeExample), "default", new CloudCredentialsOptions())
            .Should().Be(new AccessKeySpec("LTAI...", "..."));

    [Theory]
    [InlineData("k = v # comment", "v")]
    [InlineData("k = v ; comment", "v")]
    [InlineData("k = v\t# tab before the comment", "v")]
    [InlineData("k = v    ;;", "v")]
    [InlineData("k = # only a comment", "")]
    [InlineData("k = \"quoted\"", "quoted")]
    [InlineData("k = 'single'", "single")]
    [InlineData("k = \"a # not a comment\"  # a comment", "a # not a comment")]
    [InlineData("k = ' a ; b '", " a ; b ")]
    [InlineData("k = \"\"", "")]
    [InlineData("k = {\"Statement\": [{\"Resource\": \"a ;b #c\"}]} # policy", "{\"Statement\": [{\"Resource\": \"a ;b #c\"}]}")]
    public void Parse_StripsInlineCommentsAndSurroundingQuotes(string line, string expected)
        => Value(line).Should().Be(expected);

    [Theory]
    [InlineData("k = a#b", "a#b")]
    [InlineData("k = a;b", "a;b")]
    [InlineData("k = abc+/=#x", "abc+/=#x")]
    [InlineData("k = \"unbalanced", "\"unbalanced")]
    [InlineData("k = 'mixed\"", "'mixed\"")]
    [InlineData("k = \"a\" b", "\"a\" b")]
    [InlineData("k = it's", "it's")]
    public void Parse_KeepsHashesWithoutSpaceBefore_AndUnmatchedQuotes(string line, string expected)
        => Value(line).Should().Be(expected);

    [Fact]
    public void Parse_SectionHeaderWithInlineComment_IsTheSection()
        => IniFile.Parse("/c", "[dev]   # the dev account\nk = v\n").Section("dev").Should().ContainKey("k");
}
