using System.Net;
using CloudCredentials.Alibaba.CredentialsUri;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;

namespace CloudCredentials.Tests.Alibaba.CredentialsUri;

public sealed class CredentialsUriClientTests
{
    private const string Secret = "UriAccessKeySecretValue";
    private const string Token = "UriSecurityTokenValue";
    private static readonly Uri Uri = new("http://127.0.0.1:5997/credentials?auth=query-secret-value");

    private readonly FakeLogger _logger = new();

    internal static string Body(string? code = "Success", string expiration = "2026-01-01T01:00:00Z") =>
        (code is null ? "{" : $"{{\"Code\":\"{code}\",") +
        $"\"AccessKeyId\":\"STS.uriKeyId\",\"AccessKeySecret\":\"{Secret}\",\"SecurityToken\":\"{Token}\",\"Expiration\":\"{expiration}\"}}";

    private CredentialsUriClient Create(StubHandler stub) => new(new HttpClient(stub), _logger);

    private static void AssertNoSecrets(string text) =>
        text.Should().NotContain(Secret).And.NotContain(Token).And.NotContain("query-secret-value");

    [Theory]
    [InlineData("Success")]
    [InlineData(null)]
    public async Task GetCredentialAsync_Success_ReturnsCredential(string? code)
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, Body(code));

        CloudCredential credential = await Create(stub).GetCredentialAsync(Uri, CancellationToken.None);

        stub.Requests.Single().Method.Should().Be(HttpMethod.Get);
        stub.Requests.Single().Uri.Should().Be(Uri, "the query string is kept as is");
        credential.AccessKeyId.Should().Be("STS.uriKeyId");
        credential.AccessKeySecret.Should().Be(Secret);
        credential.SecurityToken.Should().Be(Token);
        credential.Expiration.Should().Be(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero));
        credential.Type.Should().Be(CredentialTypes.CredentialsUri);
        credential.ProviderName.Should().Be("credential_uri");
        AssertNoSecrets(_logger.Collector.AllText());
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Created)]
    public async Task GetCredentialAsync_Non200_ThrowsWithStatusAndRedactedBody(HttpStatusCode status)
    {
        var stub = new StubHandler().ThenStatus(status, Body("Failed"));

        Func<Task> act = () => Create(stub).GetCredentialAsync(Uri, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("credential_uri");
        ex.StatusCode.Should().Be(status);
        ex.ErrorCode.Should().Be("Failed");
        ex.Endpoint.Should().Be("http://127.0.0.1:5997/credentials?…");
        ex.Message.Should().Contain(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain("http://127.0.0.1:5997/credentials");
        AssertNoSecrets(ex.Message);
    }

    [Fact]
    public async Task GetCredentialAsync_CodeNotSuccess_Throws()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, Body("Expired"));

        Func<Task> act = () => Create(stub).GetCredentialAsync(Uri, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ErrorCode.Should().Be("Expired");
        ex.Message.Should().Contain("Code Expired instead of Success");
        AssertNoSecrets(ex.Message);
    }

    [Theory]
    [InlineData("AccessKeyId")]
    [InlineData("AccessKeySecret")]
    [InlineData("SecurityToken")]
    [InlineData("Expiration")]
    public async Task GetCredentialAsync_MissingField_NamesIt(string field)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Body())!.AsObject();
        json.Remove(field);
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, json.ToJsonString());

        Func<Task> act = () => Create(stub).GetCredentialAsync(Uri, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("lacks " + field);
        AssertNoSecrets(ex.Message);
    }

    [Fact]
    public async Task GetCredentialAsync_UnparsableExpiration_Throws()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, Body(expiration: "soon"));

        (await ((Func<Task>)(() => Create(stub).GetCredentialAsync(Uri, CancellationToken.None)))
            .Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("'soon' is not a UTC time");
    }

    [Fact]
    public async Task GetCredentialAsync_NotJson_Throws()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, "<html>login</html>", "text/html");

        (await ((Func<Task>)(() => Create(stub).GetCredentialAsync(Uri, CancellationToken.None)))
            .Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("not a JSON object");
    }

    [Fact]
    public async Task GetCredentialAsync_Unreachable_ThrowsWithoutQuery()
    {
        var stub = new StubHandler().ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:5997)"));

        CredentialUnavailableException ex = (await ((Func<Task>)(() => Create(stub).GetCredentialAsync(Uri, CancellationToken.None)))
            .Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("could not GET http://127.0.0.1:5997/credentials").And.Contain("Connection refused");
        AssertNoSecrets(ex.Message);
    }
}
