using System.Text;
using CloudCredentials.Emulator.Internal.Signing;

namespace CloudCredentials.Emulator.Tests.Internal.Signing;

/// <summary>
/// The SIGNING.md §2.4–§2.5 vectors (AWS SigV4 test suite and S3 doc examples) replayed against the emulator's own
/// SigV4 verifier: the verifier must compute the published canonical request, string to sign and signature.
/// </summary>
public class SigV4SignatureVectorTests
{
    private const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SuiteDate = "20150830T123600Z";
    private const string Empty = SigningText.EmptySha256;

    [Fact]
    public void GetVanilla_CanonicalRequestStringToSignAndSignature()
    {
        CapturedRequest request = Suite("GET", string.Empty, string.Empty);

        string canonical = SigV4Signature.CanonicalRequest(request, ["host", "x-amz-date"], "service", request.BodySha256);

        canonical.Should().Be("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + Empty);
        string stringToSign = SigV4Signature.StringToSign(SuiteDate, SigV4Signature.Scope("20150830", "us-east-1", "service"), canonical);
        stringToSign.Should().Be(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
        SigV4Signature.Sign(SuiteSecret, "20150830", "us-east-1", "service", stringToSign)
            .Should().Be("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    [Theory]
    [InlineData("get-vanilla-query-order-key-case", "GET", "Param2=value2&Param1=value1", "", "", "", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData("post-x-www-form-urlencoded", "POST", "", "Content-Type", "application/x-www-form-urlencoded", "Param1=value1", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")]
    [InlineData("get-vanilla-with-session-token", "GET", "", "X-Amz-Security-Token", "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267", "", "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")]
    public void SuiteCases_Signature(string name, string method, string query, string extraHeader, string extraValue, string body, string expected)
    {
        List<KeyValuePair<string, string>> extra = extraHeader.Length == 0 ? [] : [new(extraHeader, extraValue)];
        CapturedRequest request = Suite(method, query, body, [.. extra]);
        List<string> signed = ["host", "x-amz-date", .. extra.Select(static h => h.Key.ToLowerInvariant())];
        signed.Sort(StringComparer.Ordinal);

        Signature(request, signed, "service").Should().Be(expected, name);
    }

    [Fact]
    public void GetHeaderValueTrim_FoldsWhitespaceRuns()
    {
        CapturedRequest request = Suite("GET", string.Empty, string.Empty, new("My-Header1", " value1"), new("My-Header2", " \"a   b   c\""));
        string[] signed = ["host", "my-header1", "my-header2", "x-amz-date"];

        string canonical = SigV4Signature.CanonicalRequest(request, signed, "service", request.BodySha256);

        canonical.Should().Contain("\nmy-header1:value1\nmy-header2:\"a b c\"\n");
        SigningText.HexSha256(canonical).Should().Be("a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7");
        Signature(request, signed, "service").Should().Be("acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
    }

    [Fact]
    public void RepeatedHeaderName_ValuesJoinedInArrivalOrder()
    {
        CapturedRequest request = Suite("GET", string.Empty, string.Empty, new("My-Header1", "value2"), new("My-Header1", "value2"), new("My-Header1", "value1"));

        SigV4Signature.CanonicalHeaders(request, ["my-header1"]).Should().Be("my-header1:value2,value2,value1\n");
    }

    [Theory]
    [InlineData("//example//", "/example/")]
    [InlineData("/example1/example2/../..", "/")]
    [InlineData("/./example", "/example")]
    [InlineData("/example space/", "/example%20space/")]
    [InlineData("/$delete", "/%24delete")]
    [InlineData("/a%20b", "/a%2520b")]
    [InlineData("", "/")]
    public void CanonicalUri_NormalizesAndEncodesAgain(string rawPath, string expected) =>
        SigV4Signature.CanonicalUri(rawPath, "service").Should().Be(expected);

    [Fact]
    public void CanonicalUri_S3_KeepsThePathAsSent() =>
        SigV4Signature.CanonicalUri("/my-object//example//photo.user", "s3").Should().Be("/my-object//example//photo.user");

    [Fact]
    public void S3DocExample_GetObject()
    {
        var request = new CapturedRequest(
            "GET",
            "/test.txt",
            string.Empty,
            [
                new("Host", "examplebucket.s3.amazonaws.com"),
                new("Range", "bytes=0-9"),
                new("x-amz-content-sha256", Empty),
                new("x-amz-date", "20130524T000000Z"),
            ],
            []);
        string[] signed = ["host", "range", "x-amz-content-sha256", "x-amz-date"];

        string canonical = SigV4Signature.CanonicalRequest(request, signed, "s3", Empty);
        SigningText.HexSha256(canonical).Should().Be("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
        string stringToSign = SigV4Signature.StringToSign("20130524T000000Z", SigV4Signature.Scope("20130524", "us-east-1", "s3"), canonical);
        SigV4Signature.Sign("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3", stringToSign)
            .Should().Be("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    [Fact]
    public void TryParseAuthorization_ReadsScopeSignedHeadersAndSignature()
    {
        SigV4Signature.TryParseAuthorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa0",
            out SigV4Signature.Authorization auth).Should().BeTrue();

        auth.AccessKeyId.Should().Be("AKIDEXAMPLE");
        (auth.Date8, auth.Region, auth.Service, auth.Terminator).Should().Be(("20150830", "us-east-1", "service", "aws4_request"));
        auth.SignedHeaders.Should().Equal("host", "x-amz-date");
        auth.Signature.Should().Be("5fa0");
        SigV4Signature.TryParseAuthorization("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1", out _).Should().BeFalse();
    }

    private static string Signature(CapturedRequest request, IReadOnlyList<string> signed, string service)
    {
        string canonical = SigV4Signature.CanonicalRequest(request, signed, service, request.BodySha256);
        string stringToSign = SigV4Signature.StringToSign(SuiteDate, SigV4Signature.Scope("20150830", "us-east-1", service), canonical);
        return SigV4Signature.Sign(SuiteSecret, "20150830", "us-east-1", service, stringToSign);
    }

    private static CapturedRequest Suite(string method, string query, string body, params KeyValuePair<string, string>[] extra) => new(
        method,
        "/",
        query,
        [new("Host", "example.amazonaws.com"), new("X-Amz-Date", SuiteDate), .. extra],
        Encoding.UTF8.GetBytes(body));
}
