using CloudCredentials.Aws.Container;
using CloudCredentials.Credentials;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Aws.Container;

/// <summary>ContainerSpec.Resolve: which URI wins, the plain-http host allow-list (checked before any connection), the token variables.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ContainerSpecResolveTests : IDisposable
{
    private const string Relative = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
    private const string Full = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    private const string Token = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
    private const string TokenFile = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

    private readonly EnvironmentScope _env = new();
    private readonly List<string> _errors = [];

    public ContainerSpecResolveTests()
    {
        foreach (string name in new[] { Relative, Full, Token, TokenFile })
        {
            _env.Set(name, null);
        }
    }

    public void Dispose() => _env.Dispose();

    private ContainerSpec Resolves(string? baseOverride = null)
    {
        CredentialSpec? spec = ContainerSpec.Resolve(baseOverride, _errors);
        _errors.Should().BeEmpty();
        return spec.Should().BeOfType<ContainerSpec>().Subject;
    }

    private string Refused()
    {
        ContainerSpec.Resolve(null, _errors).Should().BeNull();
        return _errors.Should().ContainSingle().Subject;
    }

    [Fact]
    public void NeitherVariable_Declines()
    {
        ContainerSpec.Resolve(null, _errors).Should().BeOfType<DeclinedSpec>()
            .Which.Reason.Should().Contain(Relative).And.Contain(Full);
        _errors.Should().BeEmpty();
    }

    [Fact]
    public void Relative_IsAppendedTo169_254_170_2_AndWinsOverFull()
    {
        _env.Set(Relative, "/v2/credentials/abc?a=1").Set(Full, "http://10.1.2.3/never-used");

        ContainerSpec spec = Resolves();

        spec.Endpoint.Should().Be(new Uri("http://169.254.170.2/v2/credentials/abc?a=1"));
        spec.Source.Should().Be(Relative);
    }

    [Fact]
    public void Relative_UsesTheOverriddenBase()
    {
        _env.Set(Relative, "creds");

        Resolves("http://127.0.0.1:5123").Endpoint.Should().Be(new Uri("http://127.0.0.1:5123/creds"));
    }

    [Theory]
    [InlineData("http://127.0.0.1/creds")]
    [InlineData("http://127.8.9.10:8080/creds")]
    [InlineData("http://[::1]/creds")]
    [InlineData("http://localhost:8080/get-credentials")]
    [InlineData("http://169.254.170.2/v2/creds")]
    [InlineData("http://169.254.170.23/v1/credentials")]
    [InlineData("http://[fd00:ec2::23]/v1/credentials")]
    [InlineData("https://creds.example.com/anything")]
    public void Full_AllowedHosts(string url)
    {
        _env.Set(Full, url);

        Resolves().Endpoint.Should().Be(new Uri(url));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest")]
    [InlineData("http://creds.example.com/anything")]
    [InlineData("http://10.0.0.1/creds")]
    [InlineData("http://[fd00:ec2::24]/creds")]
    [InlineData("http://localhost.example.com/creds")]
    public void Full_PlainHttpToAnotherHost_IsRefused_NamingTheVariable(string url)
    {
        _env.Set(Full, url);

        Refused().Should().Contain(Full).And.Contain("plain http").And.Contain("Use https");
    }

    [Fact]
    public async Task Full_DisallowedHost_IsRefusedBeforeAnyConnection()
    {
        await using var listener = new SilentTcpListener();
        _env.Set(Full, $"http://0.0.0.0:{listener.Port}/creds");

        Refused().Should().Contain(Full);
        listener.Connections.Should().Be(0);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/creds")]
    [InlineData("not a url")]
    [InlineData("http://user:pass@127.0.0.1/creds")]
    public void Full_NotAnHttpUrl_IsRefused(string url)
    {
        _env.Set(Full, url);

        Refused().Should().Contain(Full).And.NotContain("pass@");
    }

    [Theory]
    [InlineData("Bearer abc\ndef")]
    [InlineData("Bearer abc\rdef")]
    [InlineData("Bearer abc\r\n")]
    public void Token_WithCrOrLf_IsRefused_WithoutEchoingIt(string token)
    {
        _env.Set(Relative, "/creds").Set(Token, token);

        Refused().Should().Contain(Token).And.NotContain("abc");
    }

    [Fact]
    public void TokenFile_WinsOverTheLiteral()
    {
        _env.Set(Relative, "/creds").Set(Token, "Bearer literal").Set(TokenFile, "/var/run/token");

        ContainerSpec spec = Resolves();

        spec.AuthorizationTokenFile.Should().Be("/var/run/token");
        spec.AuthorizationToken.Should().BeNull();
        spec.ToString().Should().NotContain("literal");
    }

    [Fact]
    public void ToString_MasksTheLiteralToken()
    {
        _env.Set(Relative, "/creds").Set(Token, "Bearer literal-secret");

        Resolves().ToString().Should().NotContain("literal-secret").And.Contain("***");
    }
}
