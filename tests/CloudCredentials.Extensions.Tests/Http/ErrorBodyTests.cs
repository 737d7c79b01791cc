using CloudCredentials.Http;

namespace CloudCredentials.Tests.Http;

/// <summary>The one rule for quoting upstream error answers (issue 9 item 8).</summary>
public sealed class ErrorBodyTests
{
    private const string Token = "CAIS+signing/Session+Token==Kx93";

    [Fact]
    public void Parse_KnownSecretContainingAPairPattern_IsMaskedWhole()
    {
        ErrorBody error = ErrorBody.Parse($$"""{"Code":"Bad","Message":"The SecurityToken {{Token}} is malformed."}""", "application/json", [Token]);

        error.Message.Should().Be("The SecurityToken *** is malformed.");
    }

    [Fact]
    public void Parse_Json_KeepsOnlyCodeMessageAndRequestIdWithTheBodysOwnSecretValuesMasked()
    {
        ErrorBody error = ErrorBody.Parse(
            """{"Code":"Denied","Message":"key body-secret-1 and body-token-2 revoked","RequestId":"r-1","Credentials":{"AccessKeySecret":"body-secret-1","SecurityToken":"body-token-2"},"Other":"not quoted"}""",
            "application/json",
            null);

        error.Summary.Should().Be("Denied: key *** and *** revoked, request id r-1");
    }

    [Fact]
    public void Parse_Xml_KeepsOnlyCodeMessageAndRequestIdWithSecretElementsMasked()
    {
        ErrorBody error = ErrorBody.Parse(
            "<Error><RequestId>r-2</RequestId><Code>InternalError</Code><Message>lost xml-secret-3</Message><AccessKeySecret>xml-secret-3</AccessKeySecret></Error>",
            "text/xml",
            null);

        error.Summary.Should().Be("InternalError: lost ***, request id r-2");
    }

    [Theory]
    [InlineData("<html><body>sign in: raw-secret-4</body></html>", "text/html", "a text/html body of 47 characters")]
    [InlineData("token raw-secret-4 is invalid", "text/plain", "a text/plain body of 29 characters")]
    [InlineData("""{"Detail":"raw-secret-4"}""", null, "a body of 25 characters")]
    [InlineData("  ", "text/plain", "an empty body")]
    public void Parse_BodyWithoutCodeMessageOrRequestId_IsDescribedNeverQuoted(string body, string? mediaType, string expected)
    {
        ErrorBody error = ErrorBody.Parse(body, mediaType, null);

        error.HasFields.Should().BeFalse();
        error.Summary.Should().Be(expected);
        error.Describe().Should().Be($" ({expected})");
    }

    [Fact]
    public void Parse_XmlWithADtd_IsNotExpandedAndNotQuoted()
    {
        ErrorBody error = ErrorBody.Parse("""<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x "dtd-secret-5">]><Error><Message>&x;</Message></Error>""", "application/xml", null);

        error.HasFields.Should().BeFalse();
        error.Summary.Should().NotContain("dtd-secret-5");
    }
}
