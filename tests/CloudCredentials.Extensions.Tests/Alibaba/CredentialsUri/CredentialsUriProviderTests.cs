using System.Net;
using CloudCredentials.Alibaba.CredentialsUri;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;

namespace CloudCredentials.Tests.Alibaba.CredentialsUri;

public sealed class CredentialsUriProviderTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:5996/");
    private readonly FakeLogger _logger = new();

    [Fact]
    public async Task CredentialsUri_FetchAsync_ReturnsCredentialWithNames()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, CredentialsUriClientTests.Body());
        var provider = new CredentialsUriProvider(new CredentialsUriSpec(new Uri(Endpoint, "credentials")), () => new CredentialsUriClient(new HttpClient(stub), _logger));

        CloudCredential credential = await provider.FetchAsync(CancellationToken.None);

        provider.ProviderName.Should().Be("credential_uri");
        credential.Type.Should().Be("credentials_uri");
        credential.ProviderName.Should().Be("credential_uri");
        stub.Requests.Single().Uri.Should().Be(new Uri("http://127.0.0.1:5996/credentials"));
    }

}
