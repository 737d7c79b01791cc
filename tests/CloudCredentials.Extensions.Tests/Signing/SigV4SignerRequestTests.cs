using System.Net.Http.Headers;
using System.Text;
using CloudCredentials.Signing;

namespace CloudCredentials.Tests.Signing;

/// <summary>SigV4 applied to an <see cref="HttpRequestMessage"/> in place: the same bytes as the suite vectors, and the re-sign rules.</summary>
public sealed class SigV4SignerRequestTests
{
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    private static CloudCredential Credential(string? token = null) => new(token is null ? CredentialTypes.AccessKey : CredentialTypes.Sts, "test")
    {
        AccessKeyId = "AKIDEXAMPLE",
        AccessKeySecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        SecurityToken = token,
    };

    private static string Authorization(HttpRequestMessage request) => string.Join(",", request.Headers.GetValues("Authorization"));

    [Fact]
    public void Sign_GetVanillaRequest_MatchesSuite()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");
        request.Headers.UserAgent.ParseAdd("test/1.0");

        new SigV4Signer("service", "us-east-1").Sign(request, [], Credential(), SuiteTime);

        request.Headers.GetValues("x-amz-date").Should().Equal("20150830T123600Z");
        Authorization(request).Should().EndWith("SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    [Fact]
    public void Sign_SessionCredential_AddsAndSignsTheToken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");

        new SigV4Signer("service", "us-east-1").Sign(request, [], Credential("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"), SuiteTime);

        Authorization(request).Should().EndWith("Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
    }

    [Fact]
    public void Sign_FormBody_MatchesSuite()
    {
        byte[] body = "Param1=value1"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        new SigV4Signer("service", "us-east-1").Sign(request, body, Credential(), SuiteTime);

        Authorization(request).Should().EndWith("Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
    }

    [Fact]
    public void Sign_QueryOrder_MatchesSuite()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/?Param2=value2&Param1=value1");

        new SigV4Signer("service", "us-east-1").Sign(request, [], Credential(), SuiteTime);

        Authorization(request).Should().EndWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    [Fact]
    public void Sign_Twice_ReplacesDateTokenAndAuthorization()
    {
        var signer = new SigV4Signer("sts", "us-east-1");
        byte[] body = Encoding.UTF8.GetBytes("Action=GetCallerIdentity&Version=2011-06-15");
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://sts.us-east-1.amazonaws.com/")
        {
            Content = new StringContent("Action=GetCallerIdentity&Version=2011-06-15", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        signer.Sign(request, body, Credential("token-1"), SuiteTime);
        string first = Authorization(request);
        signer.Sign(request, body, Credential("token-2"), SuiteTime.AddSeconds(1));

        request.Headers.GetValues("x-amz-date").Should().Equal("20150830T123601Z");
        request.Headers.GetValues("x-amz-security-token").Should().Equal("token-2");
        request.Headers.GetValues("Authorization").Should().ContainSingle().Which.Should().NotBe(first)
            .And.Contain("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,");
    }

    [Fact]
    public void Sign_S3_SetsContentSha256_AndUnsignedPayloadWhenAsked()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://examplebucket.s3.amazonaws.com/test.txt");

        new SigV4Signer("s3", "us-east-1") { UseUnsignedPayload = true }.Sign(request, "ignored"u8, Credential(), SuiteTime);

        request.Headers.GetValues("x-amz-content-sha256").Should().Equal(SigV4Signer.UnsignedPayload);
        Authorization(request).Should().Contain("SignedHeaders=host;x-amz-content-sha256;x-amz-date,");
    }

    [Fact]
    public void Sign_NonDefaultPort_SignsHostWithPort()
    {
        var signer = new SigV4Signer("service", "us-east-1");
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:8080/a/./b/../c//d");

        signer.Sign(request, [], Credential(), SuiteTime);

        SigningResult expected = signer.Sign("GET", "/a/c/d", null,
            [new("host", "127.0.0.1:8080"), new("x-amz-date", "20150830T123600Z")], SigV4Signer.EmptyPayloadHash, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830T123600Z");
        Authorization(request).Should().Be(expected.Authorization);
        expected.CanonicalRequest.Should().StartWith("GET\n/a/c/d\n\nhost:127.0.0.1:8080\n");
    }

    [Theory]
    [InlineData("/example space/", "/example%20space/")]
    [InlineData("/example%20space/", "/example%2520space/")]
    [InlineData("/\u1234", "/%E1%88%B4")]
    [InlineData("//example//", "/example/")]
    [InlineData("/example1/example2/../..", "/")]
    [InlineData("/./example", "/example")]
    [InlineData("/$delete", "/%24delete")]
    public void Sign_NonS3Path_IsNormalisedAndEncodedTwice(string path, string canonicalUri)
    {
        SigningResult result = new SigV4Signer("service", "us-east-1").Sign(
            "GET", path, null, [new("host", "h")], SigV4Signer.EmptyPayloadHash, "AKIDEXAMPLE", "secret", "20150830T123600Z");

        result.CanonicalRequest.Split('\n')[1].Should().Be(canonicalUri);
    }

    [Fact]
    public void Sign_BearerCredential_ThrowsNamingTheProvider()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");
        var bearer = new CloudCredential(CredentialTypes.Bearer, "static/bearer") { BearerToken = "secret-bearer" };

        Action sign = () => new SigV4Signer("service", "us-east-1").Sign(request, [], bearer, SuiteTime);

        sign.Should().Throw<ArgumentException>().WithMessage("*static/bearer*AccessKeyId*").Which.Message.Should().NotContain("secret-bearer");
    }

    [Fact]
    public void Sign_S3Again_RehashesTheBody_ButKeepsACallerSetContentSha256()
    {
        var signer = new SigV4Signer("s3", "us-east-1");
        using var request = new HttpRequestMessage(HttpMethod.Put, "https://examplebucket.s3.amazonaws.com/a");

        signer.Sign(request, "first"u8, Credential(), SuiteTime);
        signer.Sign(request, "second"u8, Credential(), SuiteTime);
        request.Headers.GetValues("x-amz-content-sha256").Should().Equal(SigV4Signer.HashPayload("second"u8));

        using var preset = new HttpRequestMessage(HttpMethod.Put, "https://examplebucket.s3.amazonaws.com/a");
        preset.Headers.TryAddWithoutValidation("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        signer.Sign(preset, "body"u8, Credential(), SuiteTime);
        signer.Sign(preset, "body"u8, Credential(), SuiteTime);
        preset.Headers.GetValues("x-amz-content-sha256").Should().Equal("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    }

    [Theory]
    [InlineData("http://[::1]:8080/a", "[::1]:8080")]
    [InlineData("http://[::1]/a", "[::1]")]
    public void Sign_Ipv6Host_SignsTheBracketedHostAsSent(string url, string host)
    {
        // SocketsHttpHandler sends "Host: [::1]:8080"; signing "::1:8080" would never match on the server.
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var signer = new SigV4Signer("service", "us-east-1");

        signer.Sign(request, [], Credential(), SuiteTime);

        SigningResult expected = signer.Sign(
            "GET", "/a", null, [new("host", host), new("x-amz-date", "20150830T123600Z")], SigV4Signer.EmptyPayloadHash,
            "AKIDEXAMPLE", Credential().AccessKeySecret!, "20150830T123600Z");
        Authorization(request).Should().Be(expected.Authorization);
    }

    [Fact]
    public void Sign_QueryWithPlus_SendsTheSignedCanonicalQuery()
    {
        // '+' is signed as a literal plus (%2B); the wire must say so too, or a form-decoding server reads a space.
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/?q=a+b&Param1=value1");

        new SigV4Signer("service", "us-east-1").Sign(request, [], Credential(), SuiteTime);

        request.RequestUri!.Query.Should().Be("?Param1=value1&q=a%2Bb");
    }
}
