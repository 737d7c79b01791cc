namespace CloudCredentials.Tests;

public class CloudCredentialTests
{
    [Fact]
    public void ToString_NeverContainsSecrets_AndMasksAccessKeyId()
    {
        var credential = new CloudCredential(CredentialTypes.Sts, "default/env")
        {
            AccessKeyId = "LTAI5tExampleKeyId",
            AccessKeySecret = "super-secret-value",
            SecurityToken = "security-token-value",
            BearerToken = "bearer-token-value",
            Expiration = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };

        string text = credential.ToString();

        text.Should().Contain("LTAI***").And.Contain("sts").And.Contain("default/env").And.Contain("2026-01-02T03:04:05Z");
        text.Should().NotContain("LTAI5tExampleKeyId")
            .And.NotContain("super-secret-value")
            .And.NotContain("security-token-value")
            .And.NotContain("bearer-token-value");
    }

    [Theory]
    [InlineData(null, "(none)")]
    [InlineData("", "(none)")]
    [InlineData("abc", "***")]
    [InlineData("abcd", "***")]
    [InlineData("abcde", "abcd***")]
    public void MaskAccessKeyId_ShowsAtMostFourCharacters(string? input, string expected)
        => CloudCredential.MaskAccessKeyId(input).Should().Be(expected);

    [Theory]
    [InlineData("", "p")]
    [InlineData("t", "")]
    public void Constructor_EmptyTypeOrProvider_Throws(string type, string provider)
    {
        Action act = () => _ = new CloudCredential(type, provider);
        act.Should().Throw<ArgumentException>();
    }
}
