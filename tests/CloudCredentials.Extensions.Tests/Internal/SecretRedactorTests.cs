using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Http;
using CloudCredentials.Internal;

namespace CloudCredentials.Tests.Internal;

public sealed class SecretRedactorTests
{
    [Fact]
    public void RedactMessage_JsonTextWithSecretFields_MasksTheirValues()
    {
        string body = """{"Code":"X","Credentials":{"AccessKeyId":"STS.id","AccessKeySecret":"s3cr3t-value","SecurityToken":"tok-value"},"access_token":"at-value","refreshToken":"rt-value"}""";

        string redacted = SecretRedactor.RedactMessage(body);

        redacted.Should().Contain("STS.id").And.Contain("\"Code\":\"X\"")
            .And.NotContain("s3cr3t-value").And.NotContain("tok-value").And.NotContain("at-value").And.NotContain("rt-value");
    }

    [Fact]
    public void RedactMessage_NameValuePairs_AreMasked()
    {
        string redacted = SecretRedactor.RedactMessage("error: SecurityToken=abc123def&AccessKeySecret: \"zzz999\" other");

        redacted.Should().NotContain("abc123def").And.NotContain("zzz999").And.Contain("error:");
    }

    [Fact]
    public void RedactMessage_KnownSecretValues_AreRemovedRawAndEncoded()
    {
        string secret = "a b/c+d=secret";
        string body = $"raw {secret} once {RpcSigner.PercentEncode(secret)} twice {RpcSigner.PercentEncode(RpcSigner.PercentEncode(secret))} form {RpcSigner.FormEncode(secret)}";

        string redacted = SecretRedactor.RedactMessage(body, [secret]);

        redacted.Should().NotContain("secret").And.Contain("raw ***").And.Contain("twice ***");
    }

    [Fact]
    public void RedactMessage_StringToSign_IsDropped()
    {
        string message = "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&SecurityToken%3Dtok";

        string redacted = SecretRedactor.RedactMessage(message);

        redacted.Should().Be("Specified signature is not matched with our calculation. (server string to sign omitted)");
    }

    [Fact]
    public void RedactMessage_LongText_IsTruncated()
    {
        SecretRedactor.RedactMessage(new string('x', 1000), maxLength: 50).Should().HaveLength(51).And.EndWith("…");
    }

    [Fact]
    public void DisplayUri_WithQueryAndUserInfo_HidesThem()
    {
        SecretRedactor.DisplayUri(new Uri("https://user:pw@example.com:8443/a/b?token=x")).Should().Be("https://example.com:8443/a/b?…");
        SecretRedactor.DisplayUri(new Uri("http://127.0.0.1/")).Should().Be("http://127.0.0.1/");
    }

    [Fact]
    public void ExtractServerStringToSign_ReturnsTextAfterMarker()
    {
        SecretRedactor.ExtractServerStringToSign("bad. server string to sign is:POST&%2F&a").Should().Be("POST&%2F&a");
        SecretRedactor.ExtractServerStringToSign("other").Should().BeNull();
    }
}
