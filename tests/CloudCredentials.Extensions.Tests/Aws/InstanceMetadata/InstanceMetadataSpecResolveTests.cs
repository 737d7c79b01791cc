using CloudCredentials.Aws.InstanceMetadata;
using CloudCredentials.Credentials;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Aws.InstanceMetadata;

/// <summary>InstanceMetadataSpec.Resolve: disabled, endpoint and mode, IMDSv1 switch, timeout and attempts, and the errors naming each variable.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class InstanceMetadataSpecResolveTests : IDisposable
{
    private const string Disabled = "AWS_EC2_METADATA_DISABLED";
    private const string Endpoint = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
    private const string Mode = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
    private const string V1Disabled = "AWS_EC2_METADATA_V1_DISABLED";
    private const string Timeout = "AWS_METADATA_SERVICE_TIMEOUT";
    private const string Attempts = "AWS_METADATA_SERVICE_NUM_ATTEMPTS";

    private readonly EnvironmentScope _env = new();
    private readonly List<string> _errors = [];

    public InstanceMetadataSpecResolveTests()
    {
        foreach (string name in new[] { Disabled, Endpoint, Mode, V1Disabled, Timeout, Attempts })
        {
            _env.Set(name, null);
        }
    }

    public void Dispose() => _env.Dispose();

    private InstanceMetadataSpec Resolves(string? endpointOverride = null)
    {
        CredentialSpec? spec = InstanceMetadataSpec.Resolve(endpointOverride, _errors);
        _errors.Should().BeEmpty();
        return spec.Should().BeOfType<InstanceMetadataSpec>().Subject;
    }

    private string Refused(string? endpointOverride = null)
    {
        InstanceMetadataSpec.Resolve(endpointOverride, _errors).Should().BeNull();
        return _errors.Should().ContainSingle().Subject;
    }

    [Fact]
    public void Defaults_Ipv4_OneSecond_OneAttempt_V1Allowed()
    {
        InstanceMetadataSpec spec = Resolves();

        spec.Should().Be(new InstanceMetadataSpec(new Uri("http://169.254.169.254"), false, TimeSpan.FromSeconds(1), 1));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData(" True ")]
    public void Disabled_Declines(string value)
    {
        _env.Set(Disabled, value).Set(Mode, "garbage");

        InstanceMetadataSpec.Resolve(null, _errors).Should().BeOfType<DeclinedSpec>()
            .Which.Should().Be(new DeclinedSpec("aws/instance_metadata", "IMDS credentials are disabled by AWS_EC2_METADATA_DISABLED=true"));
        _errors.Should().BeEmpty();
    }

    [Theory]
    [InlineData("1")]
    [InlineData("false")]
    public void DisabledOtherThanTrue_DoesNotDecline(string value)
    {
        _env.Set(Disabled, value);

        Resolves();
    }

    [Theory]
    [InlineData("IPv6", "http://[fd00:ec2::254]")]
    [InlineData("ipv6", "http://[fd00:ec2::254]")]
    [InlineData("IPV4", "http://169.254.169.254")]
    public void Mode_SelectsTheAddress(string mode, string expected)
    {
        _env.Set(Mode, mode);

        Resolves().Endpoint.Should().Be(new Uri(expected));
    }

    [Fact]
    public void Endpoint_WinsOverMode_AndTheOverrideWinsOverBoth()
    {
        _env.Set(Mode, "IPv6").Set(Endpoint, "http://127.0.0.1:1338");

        Resolves().Endpoint.Should().Be(new Uri("http://127.0.0.1:1338"));
        Resolves("http://127.0.0.1:4242/").Endpoint.Should().Be(new Uri("http://127.0.0.1:4242/"));
    }

    [Theory]
    [InlineData(Mode, "IPv5", Mode)]
    [InlineData(Endpoint, "169.254.169.254", Endpoint)]
    [InlineData(Endpoint, "ftp://127.0.0.1", Endpoint)]
    [InlineData(Timeout, "0", Timeout)]
    [InlineData(Timeout, "-1", Timeout)]
    [InlineData(Timeout, "one", Timeout)]
    [InlineData(Timeout, "301", Timeout)]
    [InlineData(Attempts, "0", Attempts)]
    [InlineData(Attempts, "1.5", Attempts)]
    [InlineData(Attempts, "11", Attempts)]
    public void InvalidValue_IsAnErrorNamingTheVariable(string variable, string value, string named)
    {
        _env.Set(variable, value);

        Refused().Should().Contain(named).And.Contain(value);
    }

    [Fact]
    public void InvalidOverride_IsAnErrorNamingTheSetting() =>
        Refused("not a url").Should().Contain("MetadataEndpoint");

    [Fact]
    public void EndpointWithUserInfo_IsRefused_WithoutEchoingIt()
    {
        _env.Set(Endpoint, "http://user:hunter2@127.0.0.1/");

        Refused().Should().Contain(Endpoint).And.NotContain("hunter2");
    }

    [Fact]
    public void SeveralInvalidValues_AreAllReported()
    {
        _env.Set(Mode, "IPv5").Set(Timeout, "x").Set(Attempts, "y");

        InstanceMetadataSpec.Resolve(null, _errors).Should().BeNull();
        _errors.Should().HaveCount(3);
    }

    [Fact]
    public void TimeoutAttemptsAndV1_AreRead()
    {
        _env.Set(Timeout, "2.5").Set(Attempts, "3").Set(V1Disabled, "true");

        InstanceMetadataSpec spec = Resolves();

        spec.Timeout.Should().Be(TimeSpan.FromSeconds(2.5));
        spec.Attempts.Should().Be(3);
        spec.DisableV1.Should().BeTrue();
    }
}
