using CloudCredentials.Alibaba.CredentialsUri;

namespace CloudCredentials.Tests.Alibaba.CredentialsUri;

public sealed class CredentialsUriProviderValidateTests
{
    [Theory]
    [InlineData("https://creds.example.com/path?x=1")]
    [InlineData("http://127.0.0.1:8080/credentials")]
    [InlineData("http://127.5.6.7/credentials")]
    [InlineData("http://localhost:8080/credentials")]
    [InlineData("http://[::1]:8080/credentials")]
    [InlineData("http://169.254.170.2/v2/credentials")]
    [InlineData("http://100.100.100.200/latest/credentials")]
    [InlineData("http://[fe80::1]/credentials")]
    public void ValidateUri_SecureOrLocal_Accepted(string uri)
    {
        CredentialsUriProvider.ValidateUri(uri, []).Should().BeNull();
    }

    [Theory]
    [InlineData("http://creds.example.com/path?token=secret-query-value")]
    [InlineData("http://10.0.0.5/credentials")]
    [InlineData("http://169.253.1.1/credentials")]
    [InlineData("http://100.100.100.201/credentials")]
    public void ValidateUri_PlainHttpToOtherHost_RejectedWithAdvice(string uri)
    {
        string? error = CredentialsUriProvider.ValidateUri(uri, ["other.example.com"]);

        error.Should().NotBeNull();
        error.Should().Contain("plain http").And.Contain("AllowedHttpHosts").And.NotContain("secret-query-value");
    }

    [Theory]
    [InlineData("creds.internal")]
    [InlineData("CREDS.internal")]
    [InlineData("creds.internal:8080")]
    public void ValidateUri_AllowedHost_Accepted(string allowed)
    {
        CredentialsUriProvider.ValidateUri("http://creds.internal:8080/c", [allowed]).Should().BeNull();
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("creds.example.com/path", "not an absolute URI")]
    [InlineData("/etc/creds.json", "only https")]
    [InlineData("ftp://host/creds", "scheme 'ftp'")]
    public void ValidateUri_Malformed_Rejected(string uri, string expected)
    {
        CredentialsUriProvider.ValidateUri(uri, []).Should().Contain(expected);
    }
}
