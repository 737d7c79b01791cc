using CloudCredentials.Aws.Sts;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Aws.Sts;

/// <summary>STS endpoint precedence: setting → AWS_ENDPOINT_URL_STS → AWS_ENDPOINT_URL → profile endpoint_url → regional → global.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AwsStsEndpointTests : IDisposable
{
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    private static AwsStsEndpoint? Resolve(string? setting, string? region, string? profileEndpoint, string? profileRegion, out string? problem)
        => AwsStsEndpoint.Resolve((setting, "S:StsEndpoint"), (region, "S:Region"), (profileEndpoint, profileRegion, "profile 'p'"), out problem);

    [Fact]
    public void NoRegion_GlobalEndpointSignedForUsEast1()
        => Resolve(null, null, null, null, out _).Should().Be(new AwsStsEndpoint(new Uri("https://sts.amazonaws.com/"), "us-east-1"));

    [Fact]
    public void RegionPrecedence_SettingThenAwsRegionThenDefaultRegionThenProfile()
    {
        Resolve(null, null, null, "eu-west-1", out _)!.Uri.Should().Be(new Uri("https://sts.eu-west-1.amazonaws.com/"));
        _env.Set("AWS_DEFAULT_REGION", "ap-south-1");
        Resolve(null, null, null, "eu-west-1", out _)!.SigningRegion.Should().Be("ap-south-1");
        _env.Set("AWS_REGION", "us-west-2");
        Resolve(null, null, null, "eu-west-1", out _)!.SigningRegion.Should().Be("us-west-2");
        Resolve(null, "ca-central-1", null, "eu-west-1", out _)!.Uri.Should().Be(new Uri("https://sts.ca-central-1.amazonaws.com/"));
    }

    [Fact]
    public void EndpointPrecedence_SettingThenStsVariableThenGenericVariableThenProfile()
    {
        Resolve(null, null, "http://127.0.0.1:4/", null, out _)!.Uri.Port.Should().Be(4);
        _env.Set("AWS_ENDPOINT_URL", "http://127.0.0.1:3/");
        Resolve(null, null, "http://127.0.0.1:4/", null, out _)!.Uri.Port.Should().Be(3);
        _env.Set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:2/");
        Resolve(null, null, "http://127.0.0.1:4/", null, out _)!.Uri.Port.Should().Be(2);
        Resolve("http://127.0.0.1:1/", null, "http://127.0.0.1:4/", null, out _)!.Uri.Port.Should().Be(1);
    }

    [Fact]
    public void PlainHttpToANonLoopbackHost_Refused_NamingTheSource()
    {
        _env.Set("AWS_ENDPOINT_URL_STS", "http://sts.example.com");

        Resolve(null, null, null, null, out string? problem).Should().BeNull();
        problem.Should().Contain("AWS_ENDPOINT_URL_STS").And.Contain("plain http");
    }

    [Fact]
    public void BadRegionOrEndpoint_ProblemNamesTheSetting()
    {
        Resolve(null, "Not A Region", null, null, out string? region).Should().BeNull();
        region.Should().Contain("S:Region");
        Resolve("sts-without-scheme", null, null, null, out string? endpoint).Should().BeNull();
        endpoint.Should().Contain("S:StsEndpoint").And.Contain("absolute");
    }
}
