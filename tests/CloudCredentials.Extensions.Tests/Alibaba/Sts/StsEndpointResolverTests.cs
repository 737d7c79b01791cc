using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.Sts;

[Collection(EnvironmentCollection.Name)]
public sealed class StsEndpointResolverTests
{
    [Theory]
    [InlineData(null, null, null, "https://sts.aliyuncs.com/")]
    [InlineData(null, null, true, "https://sts.aliyuncs.com/")]
    [InlineData(null, "cn-hangzhou", null, "https://sts.cn-hangzhou.aliyuncs.com/")]
    [InlineData(null, "cn-hangzhou", true, "https://sts-vpc.cn-hangzhou.aliyuncs.com/")]
    [InlineData(null, "cn-hangzhou", false, "https://sts.cn-hangzhou.aliyuncs.com/")]
    [InlineData("sts.ap-southeast-1.aliyuncs.com", "cn-hangzhou", true, "https://sts.ap-southeast-1.aliyuncs.com/")]
    [InlineData("http://127.0.0.1:5000", "cn-hangzhou", null, "http://127.0.0.1:5000/")]
    [InlineData("https://sts.example.test/prefix", null, null, "https://sts.example.test/prefix")]
    [InlineData("localhost:8080", null, null, "https://localhost:8080/")]
    public void Resolve_Settings_FollowSpecOrder(string? endpoint, string? region, bool? vpc, string expected)
    {
        using var env = new EnvironmentScope();

        StsEndpointResolver.Resolve(endpoint, region, vpc).Should().Be(new Uri(expected));
    }

    [Fact]
    public void Resolve_RegionFromEnvironment_UsedWhenNotExplicit()
    {
        using var env = new EnvironmentScope().Set("ALIBABA_CLOUD_STS_REGION", "cn-beijing");

        StsEndpointResolver.Resolve(null, null, null).Should().Be(new Uri("https://sts.cn-beijing.aliyuncs.com/"));
        StsEndpointResolver.Resolve(null, "cn-shanghai", null).Should().Be(new Uri("https://sts.cn-shanghai.aliyuncs.com/"));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData("1")]
    public void Resolve_VpcFromEnvironment_UsedWhenNotExplicit(string value)
    {
        using var env = new EnvironmentScope().Set("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", value).Set("ALIBABA_CLOUD_STS_REGION", "cn-beijing");

        StsEndpointResolver.Resolve(null, null, null).Should().Be(new Uri("https://sts-vpc.cn-beijing.aliyuncs.com/"));
        StsEndpointResolver.Resolve(null, null, false).Should().Be(new Uri("https://sts.cn-beijing.aliyuncs.com/"));
    }

    [Fact]
    public void Resolve_VpcFromEnvironmentWithoutRegion_HasNoEffect()
    {
        using var env = new EnvironmentScope().Set("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true");

        StsEndpointResolver.Resolve(null, null, null).Should().Be(new Uri("https://sts.aliyuncs.com/"));
    }

    [Theory]
    [InlineData("ftp://sts.aliyuncs.com")]
    [InlineData("sts.aliyuncs.com/path")]
    [InlineData("not a host")]
    public void Resolve_InvalidExplicit_ThrowsArgumentException(string endpoint)
    {
        using var env = new EnvironmentScope();

        ((Action)(() => StsEndpointResolver.Resolve(endpoint, null, null))).Should().Throw<ArgumentException>().WithMessage($"*{endpoint}*");
    }
}
