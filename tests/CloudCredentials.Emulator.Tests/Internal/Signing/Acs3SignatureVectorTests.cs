using System.Text;
using CloudCredentials.Emulator.Internal.Signing;

namespace CloudCredentials.Emulator.Tests.Internal.Signing;

/// <summary>
/// The SIGNING.md §1.8–§1.9 vectors replayed against the emulator's own ACS3 verifier: each request is rebuilt exactly
/// as the vector describes it (as it would arrive on the wire), and the verifier must compute the published canonical
/// request, string to sign and signature. This proves the verifier independently of the library's signer.
/// </summary>
public class Acs3SignatureVectorTests
{
    private const string Empty = SigningText.EmptySha256;

    [Fact]
    public void OfficialDocsExample_RunInstances()
    {
        CapturedRequest request = Request(
            "POST",
            "/",
            "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
            [
                new("Host", "ecs.cn-shanghai.aliyuncs.com"),
                new("x-acs-action", "RunInstances"),
                new("x-acs-version", "2014-05-26"),
                new("x-acs-date", "2023-10-26T10:22:32Z"),
                new("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
                new("x-acs-content-sha256", Empty),
                new("User-Agent", "unsigned/1.0"),
                new("Accept", "application/json"),
            ]);

        string canonical = Acs3Signature.CanonicalRequest(request, request.BodySha256, out string signedHeaders);

        canonical.Should().Be(
            "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
            + "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:" + Empty + "\n"
            + "x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n"
            + "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" + Empty);
        signedHeaders.Should().Be("host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version");
        string stringToSign = Acs3Signature.StringToSign(canonical);
        stringToSign.Should().Be("ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
        Acs3Signature.Sign(stringToSign, "YourAccessKeySecret").Should().Be("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    }

    [Fact]
    public void SdkCoreVector_EmptyQueryValueAndRepeatedHeaderName()
    {
        CapturedRequest request = Request("GET", "/", "test=ok&empty=", [new("x-acs-test", "http"), new("x-acs-TEST", "https")]);

        string canonical = Acs3Signature.CanonicalRequest(request, "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23", out _);

        canonical.Should().Contain("\nempty=&test=ok\nx-acs-test:http,https\n");
        Acs3Signature.Sign(Acs3Signature.StringToSign(canonical), "secret")
            .Should().Be("d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void OwnVectors_HashedCanonicalRequestAndSignature(int index)
    {
        (string name, CapturedRequest request, string hashedCanonical, string signature) = OwnVectors()[index];
        string canonical = Acs3Signature.CanonicalRequest(request, request.BodySha256, out _);

        SigningText.HexSha256(canonical).Should().Be(hashedCanonical, name);
        Acs3Signature.Sign(Acs3Signature.StringToSign(canonical), "FakeAccessKeySecret0001").Should().Be(signature, name);
    }

    [Fact]
    public void OwnVector3a_CanonicalQueryEncodesSpecialCharactersOnce()
    {
        CapturedRequest request = OwnVectors()[0].Request;

        string canonical = Acs3Signature.CanonicalRequest(request, request.BodySha256, out string signedHeaders);

        canonical.Should().Contain(
            "\nInstanceIds.1=i-bp67acfmxazb4p%2A%2A%2A%2A&InstanceIds.2=i-bp1&NextToken=&RegionId=cn-hangzhou&Tag.1.Key=env&Tag.1.Value=a%20b%2A~%C3%A9%2B%2F\n");
        signedHeaders.Should().Be("host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version");
    }

    [Fact]
    public void TryParseAuthorization_ReadsTheThreeFields()
    {
        Acs3Signature.TryParseAuthorization(
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action,Signature=0656",
            out string id,
            out string signed,
            out string signature).Should().BeTrue();

        (id, signed, signature).Should().Be(("YourAccessKeyId", "host;x-acs-action", "0656"));
        Acs3Signature.TryParseAuthorization("AWS4-HMAC-SHA256 Credential=x", out _, out _, out _).Should().BeFalse();
        Acs3Signature.TryParseAuthorization(null, out _, out _, out _).Should().BeFalse();
    }

    private static List<(string Name, CapturedRequest Request, string HashedCanonical, string Signature)> OwnVectors() =>
    [
        (
            "3a RPC, STS token",
            Request("POST", "/", "RegionId=cn-hangzhou&InstanceIds.1=i-bp67acfmxazb4p%2A%2A%2A%2A&InstanceIds.2=i-bp1&Tag.1.Key=env&Tag.1.Value=a%20b%2A~%C3%A9%2B%2F&NextToken=", Common(
                "ecs.cn-hangzhou.aliyuncs.com", "DescribeInstances", "2014-05-26", "a3f1c2d4e5b60718293a4b5c6d7e8f90", Empty,
                new("x-acs-security-token", "CAIS+fake/STS==token"), new("x-acs-accesskey-id", "LTAI5tFakeAccessKeyId0001"))),
            "e991915397e522da99025f48d400415b03e78094e586f8d0bad28e8e3e98bf48",
            "e656e2c15782c0b80f0716d14246dc8f388b9c03c25737c96eb70d1e2e472d8f"
        ),
        (
            "3b RPC, form body",
            Request("POST", "/", "Context=Morning", Common(
                "mt.cn-hangzhou.aliyuncs.com", "TranslateGeneral", "2018-10-12", "b3f1c2d4e5b60718293a4b5c6d7e8f90",
                "fe42effc7fee55f9c410df6d6819b71f049af28954c6f1ec2decd4e5122fdbc3", new KeyValuePair<string, string>("Content-Type", "application/x-www-form-urlencoded")),
                "FormatType=text&Scene=general&SourceLanguage=zh&SourceText=%E4%BD%A0%E5%A5%BD%20world&TargetLanguage=en"),
            "7f6d9090de9078fd41fd2c253a36dd5cf3c56a59aff47007c1df31e4c68ddeab",
            "59558037352f6d7bb5691a1ce8b101b26ad3ada3bf2fe19ad7b875c691098020"
        ),
        (
            "3c ROA GET, encoded path parameter",
            Request("GET", "/clusters/cd1f5ba0dbfa144%20%2Fx%2Ay~/resources", "with_addon_resources=true", Common(
                "cs.cn-beijing.aliyuncs.com", "DescribeClusterResources", "2015-12-15", "c3f1c2d4e5b60718293a4b5c6d7e8f90", Empty)),
            "d50c700c50d8a9390aa142a23a33fe3673d51443caca7b1c1f098feca3f7133c",
            "1304043217b17908b4cb6c24f6b15871a47f5e80a3eb2a3b1c97bbbc7691e89d"
        ),
        (
            "3d ROA POST, JSON body",
            Request("POST", "/clusters", string.Empty, Common(
                "cs.cn-beijing.aliyuncs.com", "CreateCluster", "2015-12-15", "d3f1c2d4e5b60718293a4b5c6d7e8f90",
                "a648b9c7376b205e1fecd1bb14c3dc160d53636f8fb3752458c652b55d7c5aab", new KeyValuePair<string, string>("Content-Type", "application/json; charset=utf-8")),
                "{\"name\":\"test cluster\",\"region_id\":\"cn-beijing\",\"cluster_type\":\"ManagedKubernetes\"}"),
            "2d1bcf7515d0f0078023321c712ae103e80c7582f76c860bede0de9ddfd55339",
            "f230fcc6cdaf97ee37787f91cc35a27ba2c05fb100d04946b0945e200fbfb041"
        ),
    ];

    private static List<KeyValuePair<string, string>> Common(
        string host, string action, string version, string nonce, string contentSha256, params KeyValuePair<string, string>[] extra) =>
    [
        new("Host", host),
        new("x-acs-action", action),
        new("x-acs-version", version),
        new("x-acs-date", "2024-01-02T03:04:05Z"),
        new("x-acs-signature-nonce", nonce),
        new("x-acs-content-sha256", contentSha256),
        new("Accept", "application/json"),
        .. extra,
    ];

    private static CapturedRequest Request(string method, string path, string query, List<KeyValuePair<string, string>> headers, string body = "") =>
        new(method, path, query, headers, Encoding.UTF8.GetBytes(body));
}
