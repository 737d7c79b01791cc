using CloudCredentials.Alibaba.External;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.External;

public sealed class ExternalOutputParserTests
{
    private const string Secret = "parser-ak-secret-SECRET";
    private const string Where = " (profile 'ext')";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private CloudCredential Parse(string stdout) => new ExternalOutputParser(Where, _time).Parse(stdout);

    [Fact]
    public void Parse_StsTokenWithExpiration_ReturnsStsCredential()
    {
        CloudCredential credential = Parse($$"""{"mode":"StsToken","access_key_id":"STS.id","access_key_secret":"{{Secret}}","sts_token":"tok","expiration":"2026-01-01T01:00:00Z"}""");

        credential.Type.Should().Be(CredentialTypes.Sts);
        credential.ProviderName.Should().Be(ExternalProvider.Name);
        credential.SecurityToken.Should().Be("tok");
        credential.Expiration.Should().Be(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero));
        credential.RefreshBefore.Should().Be(ExternalProvider.RefreshBefore);
    }

    [Theory]
    [InlineData("""{"mode":"AK","access_key_id":"id"}""", "invalid credential response (profile 'ext'): access_key_id or access_key_secret is empty")]
    [InlineData("""{"mode":"StsToken","access_key_id":"id","access_key_secret":"s"}""", "invalid StsToken credential response (profile 'ext'): sts_token is empty")]
    [InlineData("""["not","an","object"]""", "expected a JSON object on stdout")]
    [InlineData("""{"mode":"AK","access_key_id":"id","access_key_secret":"s","expiration":"2025-12-31T23:59:59Z"}""", "the external command (profile 'ext') returned a credential that expired at 2025-12-31T23:59:59Z")]
    public void Parse_InvalidOutput_ThrowsWithProfileAndReason(string stdout, string expected)
    {
        Action act = () => Parse(stdout);

        CredentialUnavailableException ex = act.Should().Throw<CredentialUnavailableException>().Which;
        ex.ProviderName.Should().Be(ExternalProvider.Name);
        ex.Message.Should().Contain(expected);
    }

    [Fact]
    public void Parse_NotJson_NamesThePositionButNotTheOutput()
    {
        Action act = () => Parse($"access_key_secret={Secret}");

        CredentialUnavailableException ex = act.Should().Throw<CredentialUnavailableException>().Which;
        ex.Message.Should().Contain("stdout is not valid JSON (line 1, byte 0)").And.NotContain(Secret);
        ex.InnerException.Should().BeNull();
    }
}
