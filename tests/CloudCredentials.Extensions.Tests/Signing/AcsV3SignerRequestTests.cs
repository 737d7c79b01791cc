using System.Net.Http.Headers;
using CloudCredentials.Signing;

namespace CloudCredentials.Tests.Signing;

/// <summary>ACS3 applied to an <see cref="HttpRequestMessage"/>: the own vectors reproduced in place, the STS and bearer forms.</summary>
public sealed class AcsV3SignerRequestTests
{
    private static readonly DateTimeOffset OwnTime = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static CloudCredential Key(string? token = null) => new(token is null ? CredentialTypes.AccessKey : CredentialTypes.Sts, "test")
    {
        AccessKeyId = AcsV3SignerTests.OwnKeyId,
        AccessKeySecret = AcsV3SignerTests.OwnSecret,
        SecurityToken = token,
    };

    private static string Header(HttpRequestMessage request, string name) => string.Join(",", request.Headers.GetValues(name));

    [Fact]
    public void Sign_Own3aInPlace_AddsTokenAndKeyIdHeaders_AndSendsTheCanonicalQuery()
    {
        string query = "RegionId=cn-hangzhou&InstanceIds.1=i-bp67acfmxazb4p%2A%2A%2A%2A&InstanceIds.2=i-bp1&Tag.1.Key=env&Tag.1.Value=a%20b*~%C3%A9%2B%2F&NextToken=";
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://ecs.cn-hangzhou.aliyuncs.com/?" + query).SetAcsAction("DescribeInstances", "2014-05-26");

        AcsV3Signer.Sign(request, [], Key("CAIS+fake/STS==token"), OwnTime, "a3f1c2d4e5b60718293a4b5c6d7e8f90");

        Header(request, "x-acs-security-token").Should().Be("CAIS+fake/STS==token");
        Header(request, "x-acs-accesskey-id").Should().Be(AcsV3SignerTests.OwnKeyId);
        Header(request, "Authorization").Should().EndWith("Signature=e656e2c15782c0b80f0716d14246dc8f388b9c03c25737c96eb70d1e2e472d8f");
        request.RequestUri!.Query.Should().Be(
            "?InstanceIds.1=i-bp67acfmxazb4p%2A%2A%2A%2A&InstanceIds.2=i-bp1&NextToken=&RegionId=cn-hangzhou&Tag.1.Key=env&Tag.1.Value=a%20b%2A~%C3%A9%2B%2F");
    }

    [Fact]
    public void Sign_Own3bInPlace_FormBodyWithCallerSetActionHeaders()
    {
        byte[] body = AcsV3SignerTests.Own3bBody;
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://mt.cn-hangzhou.aliyuncs.com/?Context=Morning") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.TryAddWithoutValidation("x-acs-action", "TranslateGeneral");
        request.Headers.TryAddWithoutValidation("x-acs-version", "2018-10-12");

        AcsV3Signer.Sign(request, body, Key(), OwnTime, "b3f1c2d4e5b60718293a4b5c6d7e8f90");

        Header(request, "x-acs-content-sha256").Should().Be("fe42effc7fee55f9c410df6d6819b71f049af28954c6f1ec2decd4e5122fdbc3");
        Header(request, "Authorization").Should().EndWith(",Signature=59558037352f6d7bb5691a1ce8b101b26ad3ada3bf2fe19ad7b875c691098020");
    }

    [Fact]
    public void Sign_Own3cInPlace_RoaPathKeepsItsEscapes()
    {
        string path = "/clusters/" + AcsV3Signer.EncodePathSegment("cd1f5ba0dbfa144 /x*y~") + "/resources";
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://cs.cn-beijing.aliyuncs.com" + path + "?with_addon_resources=true")
            .SetAcsAction("DescribeClusterResources", "2015-12-15");

        AcsV3Signer.Sign(request, [], Key(), OwnTime, "c3f1c2d4e5b60718293a4b5c6d7e8f90");

        Header(request, "Authorization").Should().EndWith(",Signature=1304043217b17908b4cb6c24f6b15871a47f5e80a3eb2a3b1c97bbbc7691e89d");
    }

    [Fact]
    public void Sign_Own3dInPlace_JsonBody()
    {
        byte[] body = AcsV3SignerTests.Own3dBody;
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://cs.cn-beijing.aliyuncs.com/clusters") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        request.SetAcsAction("CreateCluster", "2015-12-15");

        AcsV3Signer.Sign(request, body, Key(), OwnTime, "d3f1c2d4e5b60718293a4b5c6d7e8f90");

        Header(request, "x-acs-date").Should().Be("2024-01-02T03:04:05Z");
        Header(request, "x-acs-signature-nonce").Should().Be("d3f1c2d4e5b60718293a4b5c6d7e8f90");
        Header(request, "Authorization").Should().EndWith(",Signature=f230fcc6cdaf97ee37787f91cc35a27ba2c05fb100d04946b0945e200fbfb041");
    }

    [Fact]
    public void Sign_Again_ReplacesPerAttemptHeaders_AndDropsTheTokenOfAnEarlierCredential()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://sts.aliyuncs.com/").SetAcsAction("GetCallerIdentity", "2015-04-01");

        AcsV3Signer.Sign(request, [], Key("token-1"), OwnTime);
        string first = Header(request, "Authorization");
        AcsV3Signer.Sign(request, [], Key(), OwnTime.AddSeconds(1));

        request.Headers.Contains("x-acs-security-token").Should().BeFalse();
        request.Headers.Contains("x-acs-accesskey-id").Should().BeFalse();
        Header(request, "x-acs-date").Should().Be("2024-01-02T03:04:06Z");
        request.Headers.GetValues("x-acs-signature-nonce").Should().ContainSingle();
        request.Headers.GetValues("Authorization").Should().ContainSingle().Which.Should().NotBe(first);
    }

    [Theory]
    [InlineData("https://ccc.cn-shanghai.aliyuncs.com/?InstanceId=x", "?InstanceId=x&SignatureType=BEARERTOKEN", false)]
    [InlineData("https://ccc.cn-shanghai.aliyuncs.com/", "?SignatureType=BEARERTOKEN", false)]
    [InlineData("https://ccc.cn-shanghai.aliyuncs.com/instances/x", "", true)]
    public void Sign_BearerCredential_UsesTheBearerForm(string uri, string query, bool roaHeader)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri).SetAcsAction("ListUsers", "2020-07-01");
        var bearer = new CloudCredential(CredentialTypes.Bearer, "test") { BearerToken = "bearer-secret" };

        AcsV3Signer.Sign(request, [], bearer, OwnTime);

        Header(request, "x-acs-bearer-token").Should().Be("bearer-secret");
        request.Headers.Contains("Authorization").Should().BeFalse();
        request.RequestUri!.Query.Should().Be(query);
        request.Headers.Contains("x-acs-signature-type").Should().Be(roaHeader);
        Header(request, "x-acs-content-sha256").Should().Be(AcsV3Signer.EmptyPayloadHash);
    }

    [Fact]
    public void Sign_NoAction_ThrowsSayingHowToSetIt()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://ecs.cn-hangzhou.aliyuncs.com/");

        Action sign = () => AcsV3Signer.Sign(request, [], Key(), OwnTime);

        sign.Should().Throw<InvalidOperationException>().WithMessage("*no API action*SetAcsAction*x-acs-action*");
    }
}
