using CloudCredentials.Signing;

namespace CloudCredentials.Tests.Signing;

/// <summary>Every ACS3 vector of SIGNING.md §1.8 (official docs example, SDK-core vector) and §1.9 (own vectors 3a–3d).</summary>
public sealed class AcsV3SignerTests
{
    internal const string OwnKeyId = "LTAI5tFakeAccessKeyId0001";
    internal const string OwnSecret = "FakeAccessKeySecret0001";
    internal const string OwnDate = "2024-01-02T03:04:05Z";
    private const string EmptyHash = AcsV3Signer.EmptyPayloadHash;

    internal static KeyValuePair<string, string>[] Headers(params string[] lines) =>
        lines.Select(line => new KeyValuePair<string, string>(line[..line.IndexOf(':', StringComparison.Ordinal)], line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..])).ToArray();

    [Fact]
    public void Sign_OfficialDocsExample_MatchesEveryIntermediateValue()
    {
        KeyValuePair<string, string>[] headers = Headers(
            "host:ecs.cn-shanghai.aliyuncs.com", "x-acs-action:RunInstances", $"x-acs-content-sha256:{EmptyHash}",
            "x-acs-date:2023-10-26T10:22:32Z", "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d", "x-acs-version:2014-05-26",
            "User-Agent:AlibabaCloud (test)", "Accept:application/json");

        SigningResult result = AcsV3Signer.Sign(
            "POST", "/", "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai", headers, EmptyHash, "YourAccessKeyId", "YourAccessKeySecret");

        result.CanonicalRequest.Should().Be(
            "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
            + "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            + "x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n"
            + "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        result.StringToSign.Should().Be("ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
        result.Signature.Should().Be("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
        result.Authorization.Should().Be(
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
            + "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    }

    [Fact]
    public void Sign_SdkCoreVector_JoinsRepeatedHeaderAndSortsEmptyValue()
    {
        SigningResult result = AcsV3Signer.Sign(
            "GET", "/", "test=ok&empty=", Headers("x-acs-test:http", "x-acs-TEST:https"),
            "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23", "acesskey", "secret");

        result.CanonicalRequest.Should().Contain("\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n");
        result.Signature.Should().Be("d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1");
    }

    [Fact]
    public void Sign_Own3a_RpcFlattenedQuerySpecialCharactersAndStsToken()
    {
        string query = AcsV3Signer.EncodeQuery(
        [
            new("RegionId", "cn-hangzhou"), new("InstanceIds.1", "i-bp67acfmxazb4p****"), new("InstanceIds.2", "i-bp1"),
            new("Tag.1.Key", "env"), new("Tag.1.Value", "a b*~é+/"), new("NextToken", ""),
        ]);
        KeyValuePair<string, string>[] headers = Headers(
            "host:ecs.cn-hangzhou.aliyuncs.com", "x-acs-action:DescribeInstances", "x-acs-version:2014-05-26", $"x-acs-date:{OwnDate}",
            "x-acs-signature-nonce:a3f1c2d4e5b60718293a4b5c6d7e8f90", $"x-acs-content-sha256:{EmptyHash}",
            "x-acs-security-token:CAIS+fake/STS==token", $"x-acs-accesskey-id:{OwnKeyId}");

        SigningResult result = AcsV3Signer.Sign("POST", "/", query, headers, EmptyHash, OwnKeyId, OwnSecret);

        query.Should().Be("InstanceIds.1=i-bp67acfmxazb4p%2A%2A%2A%2A&InstanceIds.2=i-bp1&NextToken=&RegionId=cn-hangzhou&Tag.1.Key=env&Tag.1.Value=a%20b%2A~%C3%A9%2B%2F");
        result.CanonicalRequest.Should().Be(
            $"POST\n/\n{query}\nhost:ecs.cn-hangzhou.aliyuncs.com\nx-acs-accesskey-id:LTAI5tFakeAccessKeyId0001\nx-acs-action:DescribeInstances\n"
            + $"x-acs-content-sha256:{EmptyHash}\nx-acs-date:2024-01-02T03:04:05Z\nx-acs-security-token:CAIS+fake/STS==token\n"
            + "x-acs-signature-nonce:a3f1c2d4e5b60718293a4b5c6d7e8f90\nx-acs-version:2014-05-26\n\n"
            + $"host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version\n{EmptyHash}");
        result.StringToSign.Should().Be("ACS3-HMAC-SHA256\ne991915397e522da99025f48d400415b03e78094e586f8d0bad28e8e3e98bf48");
        result.Authorization.Should().Be(
            "ACS3-HMAC-SHA256 Credential=LTAI5tFakeAccessKeyId0001,SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;"
            + "x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=e656e2c15782c0b80f0716d14246dc8f388b9c03c25737c96eb70d1e2e472d8f");
    }

    [Fact]
    public void Sign_Own3b_RpcFormBody()
    {
        string hash = AcsV3Signer.HashPayload(Own3bBody);
        KeyValuePair<string, string>[] headers = Headers(
            "content-type:application/x-www-form-urlencoded", "host:mt.cn-hangzhou.aliyuncs.com", "x-acs-action:TranslateGeneral",
            $"x-acs-content-sha256:{hash}", $"x-acs-date:{OwnDate}", "x-acs-signature-nonce:b3f1c2d4e5b60718293a4b5c6d7e8f90", "x-acs-version:2018-10-12");

        SigningResult result = AcsV3Signer.Sign("POST", "/", "Context=Morning", headers, hash, OwnKeyId, OwnSecret);

        hash.Should().Be("fe42effc7fee55f9c410df6d6819b71f049af28954c6f1ec2decd4e5122fdbc3");
        result.CanonicalRequest.Should().Be(
            $"POST\n/\nContext=Morning\ncontent-type:application/x-www-form-urlencoded\nhost:mt.cn-hangzhou.aliyuncs.com\nx-acs-action:TranslateGeneral\n"
            + $"x-acs-content-sha256:{hash}\nx-acs-date:2024-01-02T03:04:05Z\nx-acs-signature-nonce:b3f1c2d4e5b60718293a4b5c6d7e8f90\nx-acs-version:2018-10-12\n\n"
            + $"content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n{hash}");
        result.StringToSign.Should().EndWith("\n7f6d9090de9078fd41fd2c253a36dd5cf3c56a59aff47007c1df31e4c68ddeab");
        result.Signature.Should().Be("59558037352f6d7bb5691a1ce8b101b26ad3ada3bf2fe19ad7b875c691098020");
    }

    [Fact]
    public void Sign_Own3c_RoaPathParameterEncodedOnce()
    {
        string path = "/clusters/" + AcsV3Signer.EncodePathSegment("cd1f5ba0dbfa144 /x*y~") + "/resources";
        KeyValuePair<string, string>[] headers = Headers(
            "host:cs.cn-beijing.aliyuncs.com", "x-acs-action:DescribeClusterResources", $"x-acs-content-sha256:{EmptyHash}",
            $"x-acs-date:{OwnDate}", "x-acs-signature-nonce:c3f1c2d4e5b60718293a4b5c6d7e8f90", "x-acs-version:2015-12-15");

        SigningResult result = AcsV3Signer.Sign("GET", path, "with_addon_resources=true", headers, EmptyHash, OwnKeyId, OwnSecret);

        path.Should().Be("/clusters/cd1f5ba0dbfa144%20%2Fx%2Ay~/resources");
        result.CanonicalRequest.Should().StartWith("GET\n/clusters/cd1f5ba0dbfa144%20%2Fx%2Ay~/resources\nwith_addon_resources=true\nhost:cs.cn-beijing.aliyuncs.com\n")
            .And.EndWith($"\n\nhost;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n{EmptyHash}");
        result.StringToSign.Should().EndWith("\nd50c700c50d8a9390aa142a23a33fe3673d51443caca7b1c1f098feca3f7133c");
        result.Signature.Should().Be("1304043217b17908b4cb6c24f6b15871a47f5e80a3eb2a3b1c97bbbc7691e89d");
    }

    [Fact]
    public void Sign_Own3d_RoaJsonBody()
    {
        string hash = AcsV3Signer.HashPayload(Own3dBody);
        KeyValuePair<string, string>[] headers = Headers(
            "content-type:application/json; charset=utf-8", "host:cs.cn-beijing.aliyuncs.com", "x-acs-action:CreateCluster",
            $"x-acs-content-sha256:{hash}", $"x-acs-date:{OwnDate}", "x-acs-signature-nonce:d3f1c2d4e5b60718293a4b5c6d7e8f90", "x-acs-version:2015-12-15");

        SigningResult result = AcsV3Signer.Sign("POST", "/clusters", null, headers, hash, OwnKeyId, OwnSecret);

        hash.Should().Be("a648b9c7376b205e1fecd1bb14c3dc160d53636f8fb3752458c652b55d7c5aab");
        result.CanonicalRequest.Should().StartWith("POST\n/clusters\n\ncontent-type:application/json; charset=utf-8\n");
        result.StringToSign.Should().EndWith("\n2d1bcf7515d0f0078023321c712ae103e80c7582f76c860bede0de9ddfd55339");
        result.Signature.Should().Be("f230fcc6cdaf97ee37787f91cc35a27ba2c05fb100d04946b0945e200fbfb041");
    }

    [Fact]
    public void EncodeQuery_SpecialCharacters_MatchesTheSpecsProbe()
        => AcsV3Signer.EncodeQuery([new("k", " a!*'()~é/+=")]).Should().Be("k=%20a%21%2A%27%28%29~%C3%A9%2F%2B%3D");

    [Fact]
    public void CreateNonce_Is32HexCharacters_AndFresh()
    {
        string first = AcsV3Signer.CreateNonce();

        first.Should().MatchRegex("^[0-9a-f]{32}$");
        AcsV3Signer.CreateNonce().Should().NotBe(first);
    }

    internal static byte[] Own3bBody => "FormatType=text&Scene=general&SourceLanguage=zh&SourceText=%E4%BD%A0%E5%A5%BD%20world&TargetLanguage=en"u8.ToArray();

    internal static byte[] Own3dBody => "{\"name\":\"test cluster\",\"region_id\":\"cn-beijing\",\"cluster_type\":\"ManagedKubernetes\"}"u8.ToArray();
}
