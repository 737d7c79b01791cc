using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Http;

namespace CloudCredentials.Tests.Alibaba.Sts;

public sealed class RpcSignerTests
{
    private const string Nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf";

    private static readonly KeyValuePair<string, string>[] OfficialDocParams =
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

    private static KeyValuePair<string, string>[] AssumeRoleParams() =>
    [
        // Deliberately unsorted: the signer must sort.
        new("Version", "2015-04-01"),
        new("RoleArn", "acs:ram::123456789012****:role/adminrole"),
        new("AccessKeyId", "testid"),
        new("Action", "AssumeRole"),
        new("DurationSeconds", "3600"),
        new("Format", "JSON"),
        new("Policy", "{\"Statement\": [{\"Action\": [\"*\"],\"Effect\": \"Allow\",\"Resource\": [\"*\"]}],\"Version\":\"1\"}"),
        new("RoleSessionName", "credentials-csharp-test"),
        new("SignatureMethod", "HMAC-SHA1"),
        new("SignatureNonce", Nonce),
        new("SignatureVersion", "1.0"),
        new("Timestamp", "2016-02-23T12:46:24Z"),
    ];

    [Fact]
    public void StringToSign_OfficialDocVector_MatchesDocumentation()
    {
        RpcSigner.StringToSign("GET", OfficialDocParams).Should().Be(
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
    }

    [Fact]
    public void Sign_OfficialDocVector_MatchesDocumentedSignature()
    {
        RpcSigner.Sign("GET", OfficialDocParams, "testsecret").Should().Be("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    [Fact]
    public void Sign_ParametersIncludeSignature_SignatureIsIgnored()
    {
        var withSignature = OfficialDocParams.Append(new("Signature", "whatever")).ToArray();
        RpcSigner.Sign("GET", withSignature, "testsecret").Should().Be("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    [Theory]
    [InlineData("source", "secret", "Jv4yi8SobFhg5t1C7nWLbhBSFZQ=")]
    [InlineData("中文", "secret", "CqCYIa39h9SSWuXnTz8F5hh9UPA=")]
    [InlineData("123", "secret", "sU6S6xf2t47FogXuDhqyIPt/htc=")]
    [InlineData("abc~!@#", "sk#$!~~~", "7eV3A584uvdgKVk8Ck8r9ukg1gE=")]
    public void HmacSha1_LibraryVectors_Match(string data, string key, string expected)
    {
        RpcSigner.HmacSha1(data, key).Should().Be(expected);
    }

    [Fact]
    public void PercentEncode_JavaEncoderVector_Matches()
    {
        RpcSigner.PercentEncode("123abc!@#$%^&*()-=_+ ~|\\/")
            .Should().Be("123abc%21%40%23%24%25%5E%26%2A%28%29-%3D_%2B%20~%7C%5C%2F");
    }

    [Fact]
    public void FormEncode_JavaEncoderVector_Matches()
    {
        RpcSigner.FormEncode("123abc!@#$%^&*()-=_+ ~|\\/")
            .Should().Be("123abc%21%40%23%24%25%5E%26*%28%29-%3D_%2B+%7E%7C%5C%2F");
    }

    [Fact]
    public void PercentEncode_NonAscii_EncodesUtf8BytesUpperCase()
    {
        RpcSigner.PercentEncode("中").Should().Be("%E4%B8%AD");
    }

    [Fact]
    public void StringToSign_GetWithNoParameters_MatchesPythonVector()
    {
        RpcSigner.StringToSign("GET", []).Should().Be("GET&%2F&");
    }

    [Theory]
    [MemberData(nameof(EmptyMethodVectors))]
    public void StringToSign_EmptyMethodGoVectors_Match(Dictionary<string, string> parameters, string expected)
    {
        RpcSigner.StringToSign(string.Empty, parameters).Should().Be(expected);
    }

    public static TheoryData<Dictionary<string, string>, string> EmptyMethodVectors() => new()
    {
        { new Dictionary<string, string>(), "&%2F&" },
        { new Dictionary<string, string> { ["q"] = "value" }, "&%2F&q%3Dvalue" },
        {
            new Dictionary<string, string> { ["q"] = "http://domain/?q=value&q2=value2" },
            "&%2F&q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2"
        },
        {
            new Dictionary<string, string> { ["q"] = "http://domain/?q=value&q2=value2", ["bq"] = "bq" },
            "&%2F&bq%3Dbq%26q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2"
        },
    };

    [Fact]
    public void StringToSign_AssumeRolePost_MatchesWorkedExample()
    {
        RpcSigner.StringToSign("POST", AssumeRoleParams()).Should().Be(
            "POST&%2F&AccessKeyId%3Dtestid%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3DJSON%26Policy%3D%257B%2522Statement%2522%253A%2520%255B%257B%2522Action%2522%253A%2520%255B%2522%252A%2522%255D%252C%2522Effect%2522%253A%2520%2522Allow%2522%252C%2522Resource%2522%253A%2520%255B%2522%252A%2522%255D%257D%255D%252C%2522Version%2522%253A%25221%2522%257D%26RoleArn%3Dacs%253Aram%253A%253A123456789012%252A%252A%252A%252A%253Arole%252Fadminrole%26RoleSessionName%3Dcredentials-csharp-test%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2015-04-01");
    }

    [Fact]
    public void Sign_AssumeRolePost_MatchesWorkedExample()
    {
        RpcSigner.Sign("POST", AssumeRoleParams(), "testsecret").Should().Be("TrIERFG5TAfHh1VG3LmpbNXl4Qg=");
    }

    [Fact]
    public void Sign_AssumeRoleGet_MatchesWorkedExample()
    {
        RpcSigner.Sign("GET", AssumeRoleParams(), "testsecret").Should().Be("HG2mTeNGOC4B60sK0/5ktvAogDc=");
    }

    [Fact]
    public void StringToSign_PolicyWithSpaces_EncodesSpaceAsPercent2520NotPlus()
    {
        string sts = RpcSigner.StringToSign("POST", AssumeRoleParams());
        sts.Should().Contain("%253A%2520%255B").And.NotContain("%2B");
    }
}
