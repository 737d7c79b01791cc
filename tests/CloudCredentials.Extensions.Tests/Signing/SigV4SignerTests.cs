using CloudCredentials.Signing;

namespace CloudCredentials.Tests.Signing;

/// <summary>Every SigV4 vector of SIGNING.md §2.4 (AWS test suite) and §2.5 (S3 doc examples), with the intermediate values.</summary>
public sealed class SigV4SignerTests
{
    private const string SuiteKeyId = "AKIDEXAMPLE";
    private const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SuiteTime = "20150830T123600Z";
    private const string Scope = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
    private const string S3KeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string S3Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string S3Time = "20130524T000000Z";
    private const string S3Host = "examplebucket.s3.amazonaws.com";

    private static readonly SigV4Signer Suite = new("service", "us-east-1");
    private static readonly SigV4Signer S3 = new("s3", "us-east-1");

    private static KeyValuePair<string, string>[] Headers(params string[] lines) =>
        lines.Select(line => new KeyValuePair<string, string>(line[..line.IndexOf(':', StringComparison.Ordinal)], line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..])).ToArray();

    private static SigningResult SignSuite(string method, string path, string? query, KeyValuePair<string, string>[] headers, string payloadHash = SigV4Signer.EmptyPayloadHash)
        => Suite.Sign(method, path, query, headers, payloadHash, SuiteKeyId, SuiteSecret, SuiteTime);

    [Fact]
    public void Sign_GetVanilla_MatchesSuite()
    {
        SigningResult result = SignSuite("GET", "/", null, Headers("Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"));

        result.CanonicalRequest.Should().Be(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        result.StringToSign.Should().Be(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
        result.Authorization.Should().Be(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    [Fact]
    public void Sign_GetVanillaQueryOrderKeyCase_SortsTheQuery()
    {
        SigningResult result = SignSuite("GET", "/", "?Param2=value2&Param1=value1", Headers("Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"));

        result.CanonicalRequest.Should().Be(
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        result.StringToSign.Should().EndWith("\n816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0");
        result.Authorization.Should().Be(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    [Fact]
    public void Sign_PostXWwwFormUrlencoded_SignsContentTypeAndBodyHash()
    {
        string bodyHash = SigV4Signer.HashPayload("Param1=value1"u8);
        SigningResult result = SignSuite(
            "POST", "/", null,
            Headers("Content-Type:application/x-www-form-urlencoded", "Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"),
            bodyHash);

        bodyHash.Should().Be("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
        result.CanonicalRequest.Should().Be(
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            + "content-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
        result.StringToSign.Should().EndWith("\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
        result.Authorization.Should().Be(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
    }

    [Fact]
    public void Sign_GetHeaderValueTrim_TrimsAndFoldsWhitespace()
    {
        SigningResult result = SignSuite("GET", "/", null, Headers(
            "Host:example.amazonaws.com", "My-Header1: value1", "My-Header2: \"a   b   c\"", "X-Amz-Date:20150830T123600Z"));

        result.CanonicalRequest.Should().Be(
            "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\n"
            + "host;my-header1;my-header2;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        result.StringToSign.Should().EndWith("\na726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7");
        result.Authorization.Should().Be(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
    }

    [Fact]
    public void Sign_GetVanillaWithSessionToken_SignsTheToken()
    {
        SigningResult result = SignSuite("GET", "/", null, Headers(
            "Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z",
            "X-Amz-Security-Token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"));

        result.CanonicalRequest.Should().Be(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"
            + "x-amz-security-token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\n"
            + "host;x-amz-date;x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        result.StringToSign.Should().EndWith("\n067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b");
        result.Authorization.Should().Be(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
    }

    [Theory]
    [InlineData("GET", "/test.txt", null, "Range:bytes=0-9", "", "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972", "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")]
    [InlineData("PUT", "/test$file.text", null, "Date:Fri, 24 May 2013 00:00:00 GMT|x-amz-storage-class:REDUCED_REDUNDANCY", "Welcome to Amazon S3.", "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d", "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")]
    [InlineData("GET", "/", "lifecycle", "", "", "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")]
    [InlineData("GET", "/", "max-keys=2&prefix=J", "", "", "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")]
    public void Sign_S3DocExamples_MatchTheDocs(string method, string path, string? query, string extraHeaders, string body, string hashedCanonicalRequest, string signature)
    {
        string payloadHash = SigV4Signer.HashPayload(System.Text.Encoding.UTF8.GetBytes(body));
        string[] extra = extraHeaders.Length == 0 ? [] : extraHeaders.Split('|');
        KeyValuePair<string, string>[] headers = Headers([$"Host:{S3Host}", $"x-amz-content-sha256:{payloadHash}", $"x-amz-date:{S3Time}", .. extra]);

        SigningResult result = S3.Sign(method, path, query, headers, payloadHash, S3KeyId, S3Secret, S3Time);

        result.StringToSign.Should().Be($"AWS4-HMAC-SHA256\n{S3Time}\n20130524/us-east-1/s3/aws4_request\n{hashedCanonicalRequest}");
        result.Signature.Should().Be(signature);
        result.Authorization.Should().EndWith("Signature=" + signature);
    }

    [Fact]
    public void Sign_S3GetObject_CanonicalRequestMatchesTheDoc()
    {
        KeyValuePair<string, string>[] headers = Headers($"Host:{S3Host}", "Range:bytes=0-9", $"x-amz-content-sha256:{SigV4Signer.EmptyPayloadHash}", $"x-amz-date:{S3Time}");

        SigningResult result = S3.Sign("GET", "/test.txt", null, headers, SigV4Signer.EmptyPayloadHash, S3KeyId, S3Secret, S3Time);

        result.CanonicalRequest.Should().Be(
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            + "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-amz-date:20130524T000000Z\n\n"
            + "host;range;x-amz-content-sha256;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        result.SignedHeaders.Should().Be("host;range;x-amz-content-sha256;x-amz-date");
    }
}
