using System.Net;
using CloudCredentials.Alibaba.CloudSso;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;

namespace CloudCredentials.Tests.Alibaba.CloudSso;

public sealed class CloudSsoClientTests
{
    // Characters that percent-encoding changes, so an echo of the encoded form is a different string.
    private const string AccessToken = "sso+token/SECRET==";
    private const string SignInUrl = "https://signin.example.com/device/login";
    private const string Endpoint = "https://signin.example.com/cloud-credentials";

    private readonly FakeLogger _logger = new();

    private Task<CloudCredential> FetchAsync(StubHandler stub, CancellationToken cancellationToken = default) =>
        new CloudSsoClient(new HttpClient(stub), _logger).GetCredentialAsync(SignInUrl, "acct-1", "ac-1", AccessToken, cancellationToken);

    [Fact]
    public async Task GetCredentialAsync_ResilienceTimeout_ThrowsCredentialUnavailableNamingEndpoint()
    {
        var timeout = new TimeoutException($"POST {Endpoint} did not answer within the total timeout of 1 s");
        var stub = new StubHandler().ThenThrow(timeout);

        Func<Task> act = () => FetchAsync(stub);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("cloud_sso");
        ex.Endpoint.Should().Be(Endpoint);
        ex.InnerException.Should().BeSameAs(timeout);
        ex.Message.Should().Contain(Endpoint).And.Contain("did not answer");
    }

    [Fact]
    public async Task GetCredentialAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var stub = new StubHandler().ThenHang();

        Task<CloudCredential> fetch = FetchAsync(stub, cts.Token);
        await cts.CancelAsync();
        Func<Task> act = () => fetch;

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task GetCredentialAsync_ErrorEchoesEncodedToken_MasksIt()
    {
        string encoded = RpcSigner.PercentEncode(AccessToken);
        var stub = new StubHandler().ThenStatus(
            HttpStatusCode.Unauthorized,
            $$"""{"ErrorCode":"InvalidToken","ErrorMessage":"token {{encoded}} or {{AccessToken}} is revoked","RequestId":"req-3"}""");

        Func<Task> act = () => FetchAsync(stub);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ErrorCode.Should().Be("InvalidToken");
        ex.RequestId.Should().Be("req-3");
        ex.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        ex.Message.Should().Contain("is revoked").And.Contain("aliyun sso login").And.NotContain(AccessToken).And.NotContain(encoded);
        _logger.Collector.AllText().Should().NotContain(AccessToken).And.NotContain(encoded);
    }
}
