using CloudCredentials.Emulator.Internal;
using CloudCredentials.Alibaba.Sts;

namespace CloudCredentials.Emulator.Tests.Internal;

/// <summary>The emulator's own RPC signature V2 check against the published vectors of ALIBABA_CREDENTIALS.md §3.5.</summary>
public class RpcSignatureVerifierTests
{
    private const string Nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";
    private const string Policy = """{"Statement": [{"Action": ["*"],"Effect": "Allow","Resource": ["*"]}],"Version":"1"}""";

    private const string DocStringToSign =
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
        + "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
        + "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26";

    private const string AssumeRolePostStringToSign =
        "POST&%2F&AccessKeyId%3Dtestid%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3DJSON"
        + "%26Policy%3D%257B%2522Statement%2522%253A%2520%255B%257B%2522Action%2522%253A%2520%255B%2522%252A%2522%255D"
        + "%252C%2522Effect%2522%253A%2520%2522Allow%2522%252C%2522Resource%2522%253A%2520%255B%2522%252A%2522%255D%257D%255D"
        + "%252C%2522Version%2522%253A%25221%2522%257D"
        + "%26RoleArn%3Dacs%253Aram%253A%253A123456789012%252A%252A%252A%252A%253Arole%252Fadminrole"
        + "%26RoleSessionName%3Dcredentials-csharp-test%26SignatureMethod%3DHMAC-SHA1"
        + "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
        + "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2015-04-01";

    [Fact]
    public void OfficialDocVector_StringToSignAndSignatureMatch()
    {
        RpcSignatureVerifier.StringToSign("GET", DocParameters()).Should().Be(DocStringToSign);
        RpcSignatureVerifier.Sign(DocStringToSign, "testsecret").Should().Be("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    [Fact]
    public void OfficialDocVector_Verify_AcceptsPublishedSignature()
    {
        bool valid = RpcSignatureVerifier.Verify("GET", DocParameters(), "testsecret", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=", out string stringToSign);

        valid.Should().BeTrue();
        stringToSign.Should().Be(DocStringToSign);
    }

    [Theory]
    [InlineData("Format", "JSON")]
    [InlineData("Version", "2014-05-27")]
    [InlineData("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cg")]
    [InlineData("Timestamp", "2016-02-23T12:46:25Z")]
    public void OfficialDocVector_ChangedParameter_Rejected(string name, string value)
    {
        List<KeyValuePair<string, string>> changed = Replace(DocParameters(), name, value);

        bool valid = RpcSignatureVerifier.Verify("GET", changed, "testsecret", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=", out string stringToSign);

        valid.Should().BeFalse();
        stringToSign.Should().NotBe(DocStringToSign);
    }

    [Fact]
    public void OfficialDocVector_AddedParameter_Rejected()
    {
        List<KeyValuePair<string, string>> added = [.. DocParameters(), new("RegionId", "cn-hangzhou")];

        RpcSignatureVerifier.Verify("GET", added, "testsecret", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("POST", "testsecret")]
    [InlineData("GET", "testsecreT")]
    [InlineData("GET", "testsecret&")]
    public void OfficialDocVector_OtherMethodOrSecret_Rejected(string method, string secret)
        => RpcSignatureVerifier.Verify(method, DocParameters(), secret, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=", out _).Should().BeFalse();

    [Fact]
    public void OfficialDocVector_SignatureParameterIgnoredAndOrderIrrelevant()
    {
        List<KeyValuePair<string, string>> parameters = [.. DocParameters()];
        parameters.Reverse();
        parameters.Insert(3, new("Signature", "OLeaidS1JvxuMvnyHOwuJ+uX5qY="));

        RpcSignatureVerifier.StringToSign("GET", parameters).Should().Be(DocStringToSign);
        RpcSignatureVerifier.Verify("GET", parameters, "testsecret", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=", out _).Should().BeTrue();
    }

    [Fact]
    public void WorkedAssumeRoleExample_PostStringToSignMatches()
        => RpcSignatureVerifier.StringToSign("POST", AssumeRoleParameters()).Should().Be(AssumeRolePostStringToSign);

    [Theory]
    [InlineData("POST", "TrIERFG5TAfHh1VG3LmpbNXl4Qg=")]
    [InlineData("GET", "HG2mTeNGOC4B60sK0/5ktvAogDc=")]
    public void WorkedAssumeRoleExample_Verify_AcceptsPublishedSignature(string method, string signature)
        => RpcSignatureVerifier.Verify(method, AssumeRoleParameters(), "testsecret", signature, out _).Should().BeTrue();

    [Theory]
    [InlineData("GET", "TrIERFG5TAfHh1VG3LmpbNXl4Qg=")]
    [InlineData("POST", "HG2mTeNGOC4B60sK0/5ktvAogDc=")]
    public void WorkedAssumeRoleExample_SignatureOfTheOtherMethod_Rejected(string method, string signature)
        => RpcSignatureVerifier.Verify(method, AssumeRoleParameters(), "testsecret", signature, out _).Should().BeFalse();

    [Theory]
    [InlineData("DurationSeconds", "3601")]
    [InlineData("RoleSessionName", "credentials-csharp-tesT")]
    [InlineData("RoleArn", "acs:ram::123456789012****:role/adminrolf")]
    [InlineData("Policy", """{"Statement": [{"Action": ["*"],"Effect": "Allow","Resource": ["*"]}],"Version": "1"}""")]
    public void WorkedAssumeRoleExample_ChangedParameter_Rejected(string name, string value)
    {
        List<KeyValuePair<string, string>> changed = Replace(AssumeRoleParameters(), name, value);

        RpcSignatureVerifier.Verify("POST", changed, "testsecret", "TrIERFG5TAfHh1VG3LmpbNXl4Qg=", out _).Should().BeFalse();
    }

    [Fact]
    public void SpaceInValue_EncodedAsPercent20ThenPercent2520_NotPlus()
    {
        // §3.4: the Python bug (quote_plus) gives %2B; the string to sign must carry %2520.
        string stringToSign = RpcSignatureVerifier.StringToSign("POST", [new("Policy", "a b")]);

        stringToSign.Should().Be("POST&%2F&Policy%3Da%2520b");
    }

    [Fact]
    public void Encode_JavaEncoderVector()
        => RpcSignatureVerifier.Encode("123abc!@#$%^&*()-=_+ ~|\\/").Should().Be("123abc%21%40%23%24%25%5E%26%2A%28%29-%3D_%2B%20~%7C%5C%2F");

    [Fact]
    public void Encode_NonAscii_UpperHexOfUtf8Bytes()
        => RpcSignatureVerifier.Encode("中文é").Should().Be("%E4%B8%AD%E6%96%87%C3%A9");

    public static TheoryData<string, string[], string> StringToSignVectors => new()
    {
        { string.Empty, [], "&%2F&" },
        { string.Empty, ["q", "value"], "&%2F&q%3Dvalue" },
        { string.Empty, ["q", "http://domain/?q=value&q2=value2"], "&%2F&q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2" },
        {
            string.Empty,
            ["q", "http://domain/?q=value&q2=value2", "bq", "bq"],
            "&%2F&bq%3Dbq%26q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2"
        },
        { "GET", [], "GET&%2F&" },
    };

    [Theory]
    [MemberData(nameof(StringToSignVectors))]
    public void StringToSign_GoAndPythonVectors(string method, string[] pairs, string expected)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        for (int i = 0; i < pairs.Length; i += 2)
        {
            parameters.Add(new(pairs[i], pairs[i + 1]));
        }

        RpcSignatureVerifier.StringToSign(method, parameters).Should().Be(expected);
    }

    [Theory]
    [InlineData("source", "secret", "Jv4yi8SobFhg5t1C7nWLbhBSFZQ=")]
    [InlineData("中文", "secret", "CqCYIa39h9SSWuXnTz8F5hh9UPA=")]
    [InlineData("123", "secret", "sU6S6xf2t47FogXuDhqyIPt/htc=")]
    [InlineData("abc~!@#", "sk#$!~~~", "7eV3A584uvdgKVk8Ck8r9ukg1gE=")]
    public void HmacSha1_LibraryTestVectors(string data, string key, string expected)
        => RpcSignatureVerifier.HmacSha1(data, key).Should().Be(expected);

    [Theory]
    [InlineData("GET", "plain")]
    [InlineData("POST", "with space and * and ~ and + and /")]
    [InlineData("POST", """{"Statement": [{"Action": ["sts:*"],"Effect": "Allow","Resource": ["*"]}],"Version":"1"}""")]
    [InlineData("GET", "non-ascii 中文 é 😀")]
    [InlineData("POST", "")]
    public void LibrarySigner_IsAcceptedByTheEmulatorsVerifier(string method, string value)
    {
        // Cross-implementation check: the library's RpcSigner and the emulator's verifier agree byte for byte.
        List<KeyValuePair<string, string>> parameters = [.. DocParameters(), new("Policy", value), new("RoleSessionName", "x")];

        string signature = RpcSigner.Sign(method, parameters, "test/secret+");

        RpcSignatureVerifier.Verify(method, parameters, "test/secret+", signature, out string stringToSign).Should().BeTrue();
        stringToSign.Should().Be(RpcSigner.StringToSign(method, parameters));
    }

    private static List<KeyValuePair<string, string>> DocParameters() =>
    [
        new("AccessKeyId", "testid"),
        new("Action", "DescribeRegions"),
        new("Format", "XML"),
        new("SignatureMethod", "HMAC-SHA1"),
        new("SignatureNonce", Nonce),
        new("SignatureVersion", "1.0"),
        new("Timestamp", "2016-02-23T12:46:24Z"),
        new("Version", "2014-05-26"),
    ];

    private static List<KeyValuePair<string, string>> AssumeRoleParameters() =>
    [
        new("AccessKeyId", "testid"),
        new("Action", "AssumeRole"),
        new("DurationSeconds", "3600"),
        new("Format", "JSON"),
        new("Policy", Policy),
        new("RoleArn", "acs:ram::123456789012****:role/adminrole"),
        new("RoleSessionName", "credentials-csharp-test"),
        new("SignatureMethod", "HMAC-SHA1"),
        new("SignatureNonce", Nonce),
        new("SignatureVersion", "1.0"),
        new("Timestamp", "2016-02-23T12:46:24Z"),
        new("Version", "2015-04-01"),
    ];

    private static List<KeyValuePair<string, string>> Replace(List<KeyValuePair<string, string>> parameters, string name, string value)
    {
        int index = parameters.FindIndex(p => p.Key == name);
        index.Should().BeGreaterThanOrEqualTo(0, "the vector has a {0} parameter", name);
        parameters[index] = new(name, value);
        return parameters;
    }
}
