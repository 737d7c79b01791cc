using System.Net;
using CloudCredentials.Alibaba.OAuth;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.OAuth;

public sealed class OAuthClientTests
{
    private const string RefreshToken = "oauth+refresh/SECRET==";
    private const string AccessToken = "oauth+access/SECRET==";
    private static readonly Uri BaseUrl = new("https://oauth.example.com");

    private readonly FakeLogger _logger = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private OAuthClient Create(StubHandler stub) => new(new HttpClient(stub), _time, _logger);

    [Fact]
    public async Task RefreshTokenAsync_ResilienceTimeout_ThrowsCredentialUnavailableNamingEndpoint()
    {
        var stub = new StubHandler().ThenThrow(new TimeoutException("POST https://oauth.example.com/v1/token did not answer within the total timeout of 1 s"));

        Func<Task> act = () => Create(stub).RefreshTokenAsync(BaseUrl, "client-1", RefreshToken, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("oauth");
        ex.Endpoint.Should().Be("https://oauth.example.com/v1/token");
        ex.InnerException.Should().BeOfType<TimeoutException>();
        ex.Message.Should().Contain("did not answer").And.NotContain(RefreshToken);
    }

    [Fact]
    public async Task ExchangeAsync_ConnectionFails_ThrowsNamingEndpointWithoutToken()
    {
        var stub = new StubHandler().ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, $"Connection refused (oauth.example.com:443) {AccessToken}"));

        Func<Task> act = () => Create(stub).ExchangeAsync(BaseUrl, AccessToken, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("oauth");
        ex.Endpoint.Should().Be("https://oauth.example.com/v1/exchange");
        ex.Message.Should().Contain("Connection refused").And.NotContain(AccessToken);
    }

    [Fact]
    public async Task RefreshTokenAsync_ErrorEchoesEncodedToken_MasksIt()
    {
        string encoded = RpcSigner.PercentEncode(RefreshToken);
        var stub = new StubHandler().ThenStatus(
            HttpStatusCode.BadRequest,
            $$"""{"error":"invalid_grant","error_description":"refresh_token={{encoded}} is revoked"}""");

        Func<Task> act = () => Create(stub).RefreshTokenAsync(BaseUrl, "client-1", RefreshToken, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ErrorCode.Should().Be("invalid_grant");
        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        ex.Message.Should().Contain("is revoked").And.NotContain(RefreshToken).And.NotContain(encoded);
        _logger.Collector.AllText().Should().NotContain(RefreshToken).And.NotContain(encoded);
    }
}
