using CloudCredentials.Aws.Sts;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Aws.Sts;

/// <summary>The STS <c>RoleSessionName</c> rule, <c>[\w+=,.@-]{2,64}</c> with STS's ASCII <c>\w</c>.</summary>
public sealed class RoleSessionNameTests
{
    [Theory]
    [InlineData("ab", true)]
    [InlineData("ci_job+1=a,b.c@d-e", true)]
    [InlineData("a", false)]
    [InlineData("has space", false)]
    [InlineData("café-session", false)] // regression: .NET's \w accepted non-ASCII letters that STS rejects
    [InlineData("セッション名", false)]
    [InlineData("ab\n", false)] // regression: '$' matched before a trailing newline
    [InlineData("x١٢٣", false)] // Arabic-Indic digits are \d/\w in .NET, not in STS
    public void IsValid_AsciiWordCharactersOnly(string name, bool valid) => RoleSessionName.IsValid(name).Should().Be(valid);

    [Fact]
    public void IsValid_64Allowed_65Refused() =>
        (RoleSessionName.IsValid(new string('a', 64)), RoleSessionName.IsValid(new string('a', 65))).Should().Be((true, false));

    [Fact]
    public void OrDefault_NoName_CloudCredentialsUnixMs_WhichIsValid()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123));

        string name = RoleSessionName.OrDefault(null, time);

        name.Should().Be("cloudcredentials-1767225600123");
        RoleSessionName.IsValid(name).Should().BeTrue();
        RoleSessionName.OrDefault("mine", time).Should().Be("mine");
    }
}
