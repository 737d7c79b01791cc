using System.Net;
using CloudCredentials.Aws.Container;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;

namespace CloudCredentials.Tests.Aws.Container;

/// <summary>The container provider against loopback fakes: Authorization, token file re-read, static answers, errors without secrets.</summary>
public sealed class ContainerProviderTests : IDisposable
{
    private const string Secret = "ContainerSecretAccessKeyValue";
    private const string SessionToken = "ContainerSessionTokenValue";
    private const string AuthToken = "Bearer container-auth-secret";

    private readonly FakeLogCollector _logs = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-container-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Body(string? expiration = "2026-01-01T06:00:00Z") => expiration is null
        ? $$"""{"AccessKeyId":"AKIASTATIC","SecretAccessKey":"{{Secret}}"}"""
        : $$"""{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"{{Secret}}","Token":"{{SessionToken}}","Expiration":"{{expiration}}","RoleArn":"arn:aws:iam::1:role/x"}""";

    private ContainerProvider Provider(StubHandler stub, string? token = null, string? tokenFile = null) =>
        new(new ContainerSpec(new Uri("http://127.0.0.1:9/v2/credentials/abc"), "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", token, tokenFile),
            () => new HttpClient(stub),
            new FakeLogger(_logs));

    private async Task<CredentialUnavailableException> FailsAsync(ContainerProvider provider)
    {
        CredentialUnavailableException ex = (await provider.Invoking(p => p.FetchAsync(CancellationToken.None).AsTask())
            .Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ToString().Should().NotContain(Secret).And.NotContain(SessionToken).And.NotContain("container-auth-secret");
        _logs.AllText().Should().NotContain(Secret).And.NotContain("container-auth-secret");
        return ex;
    }

    [Fact]
    public async Task Fetch_SendsTheLiteralToken_AndReadsTheCredential()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, Body());

        CloudCredential credential = await Provider(stub, token: AuthToken).FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("ASIACONTAINER");
        credential.AccessKeySecret.Should().Be(Secret);
        credential.SecurityToken.Should().Be(SessionToken);
        credential.Expiration.Should().Be(new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero));
        credential.ProviderName.Should().Be("aws/container");
        credential.StaticStability.Should().BeTrue();
        stub.Requests.Single().Header("Authorization").Should().Be(AuthToken);
        _logs.AllText().Should().NotContain(Secret).And.NotContain("container-auth-secret");
    }

    [Fact]
    public async Task TokenFile_IsReReadOnEveryFetch()
    {
        string path = Path.Combine(_dir, "token");
        File.WriteAllText(path, "first-token-value");
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, Body());
        ContainerProvider provider = Provider(stub, token: "ignored-literal", tokenFile: path);

        await provider.FetchAsync(CancellationToken.None);
        File.WriteAllText(path, "second-token-value");
        await provider.FetchAsync(CancellationToken.None);

        stub.Requests.Select(r => r.Header("Authorization")).Should().Equal("first-token-value", "second-token-value");
    }

    [Fact]
    public async Task TokenFile_Missing_FailsNamingTheFile_WithoutAConnection()
    {
        string path = Path.Combine(_dir, "missing");
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, Body());

        CredentialUnavailableException ex = await FailsAsync(Provider(stub, tokenFile: path));

        ex.Message.Should().Contain(path).And.Contain("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        stub.Calls.Should().Be(0);
    }

    [Theory]
    [InlineData("token-with-newline\n")]
    [InlineData("token\rwith-cr")]
    public async Task TokenFile_WithCrOrLf_IsRefused(string content)
    {
        string path = Path.Combine(_dir, "token");
        File.WriteAllText(path, content);
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, Body());

        CredentialUnavailableException ex = await FailsAsync(Provider(stub, tokenFile: path));

        ex.Message.Should().Contain(path).And.Contain("line feed").And.NotContain("token-with");
        stub.Calls.Should().Be(0);
    }

    [Fact]
    public async Task MissingExpiration_IsAStaticCredential()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, Body(expiration: null));

        CloudCredential credential = await Provider(stub).FetchAsync(CancellationToken.None);

        credential.Expiration.Should().BeNull();
        credential.SecurityToken.Should().BeNull();
        credential.AccessKeyId.Should().Be("AKIASTATIC");
    }

    [Fact]
    public async Task ErrorAnswer_FailsWithTheStatus_AndNoSecret()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.Forbidden, """{"code":"AccessDenied","message":"bad token Bearer container-auth-secret"}""");

        CredentialUnavailableException ex = await FailsAsync(Provider(stub, token: AuthToken));

        ex.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        ex.Message.Should().Contain("403").And.Contain("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }

    [Fact]
    public async Task MissingSecret_FailsNamingTheField()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, """{"AccessKeyId":"ASIAX","Token":"t"}""");

        (await FailsAsync(Provider(stub))).Message.Should().Contain("lacks SecretAccessKey");
    }

    [Fact]
    public async Task EndToEnd_RelativeUriAgainstALoopbackServer()
    {
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(_ => (200, Body()));
        var spec = new ContainerSpec(new Uri(server.BaseAddress, "/v2/credentials/abc"), "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", AuthToken, null);

        CloudCredential credential = await spec.Build(TestBuildContext.Create()).FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("ASIACONTAINER");
        server.Received.Single().Header("Authorization").Should().Be(AuthToken);
        server.Received.Single().Uri.AbsolutePath.Should().Be("/v2/credentials/abc");
    }
}
