using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using CloudCredentials.Alibaba.CloudSso;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.CloudSso;

public class CloudSsoProviderTests
{
    private const string AccessToken = "sso-access-token-SECRET";
    private const string AccessKeySecret = "sso-ak-secret-SECRET";
    private const string SecurityToken = "sso-security-token-SECRET";

    private static readonly string SuccessBody = """
        {"CloudCredential":{"AccessKeyId":"STS.sso-id","AccessKeySecret":"sso-ak-secret-SECRET","SecurityToken":"sso-security-token-SECRET","Expiration":"2026-01-01T01:00:00Z"},"RequestId":"req-1"}
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();

    private ILogger Logger => new FakeLogger(_logs, "test");

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private CloudSsoProvider CreateProvider(string baseUrl, CloudSsoSpec? settings = null)
    {
        settings ??= new CloudSsoSpec
        {
            SignInUrl = baseUrl + "/device/login?x=1",
            AccountId = "acct-123",
            AccessConfig = "ac-456",
            AccessToken = AccessToken,
            AccessTokenExpire = Now + 3600,
            ProfileName = "sso",
        };
        var http = new HttpClient();
        return new CloudSsoProvider(settings, () => new CloudSsoClient(http, Logger), _time);
    }

    [Fact]
    public async Task FetchAsync_Success_PostsJsonBodyWithBearerToHostOfSignInUrl()
    {
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(_ => (200, SuccessBody));
        CloudSsoProvider provider = CreateProvider(server.BaseUrl);

        CloudCredential credential = await provider.FetchAsync(CancellationToken.None);

        credential.Type.Should().Be(CredentialTypes.Sts);
        credential.ProviderName.Should().Be("cloud_sso");
        provider.ProviderName.Should().Be("cloud_sso");
        credential.AccessKeyId.Should().Be("STS.sso-id");
        credential.AccessKeySecret.Should().Be(AccessKeySecret);
        credential.SecurityToken.Should().Be(SecurityToken);
        credential.Expiration.Should().Be(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero));

        RecordedRequest request = server.Received.Should().ContainSingle().Subject;
        request.Method.Should().Be(HttpMethod.Post);
        request.Uri.AbsolutePath.Should().Be("/cloud-credentials");
        request.Header("Authorization").Should().Be("Bearer " + AccessToken);
        request.Header("Accept").Should().Be("application/json");
        request.Header("Content-Type").Should().StartWith("application/json");
        JsonNode body = JsonNode.Parse(request.Body)!;
        body["AccountId"]!.GetValue<string>().Should().Be("acct-123");
        body["AccessConfigurationId"]!.GetValue<string>().Should().Be("ac-456");

        _logs.AllText().Should().NotContain(AccessToken).And.NotContain(AccessKeySecret).And.NotContain(SecurityToken);
    }

    [Fact]
    public async Task FetchAsync_ExpirationInt64Only_IsAccepted()
    {
        long expiration = Now + 1800;
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(_ => (200,
            $$$"""{"CloudCredential":{"AccessKeyId":"id","AccessKeySecret":"s","SecurityToken":"t","ExpirationInt64":{{{expiration}}}}}"""));

        CloudCredential credential = await CreateProvider(server.BaseUrl).FetchAsync(CancellationToken.None);

        credential.Expiration.Should().Be(DateTimeOffset.FromUnixTimeSeconds(expiration));
    }

    [Fact]
    public async Task FetchAsync_TopLevelCredential_IsAccepted()
    {
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(_ => (200,
            """{"AccessKeyId":"id","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2026-01-01T02:00:00.123Z"}"""));

        CloudCredential credential = await CreateProvider(server.BaseUrl).FetchAsync(CancellationToken.None);

        credential.Expiration.Should().Be(new DateTimeOffset(2026, 1, 1, 2, 0, 0, 123, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(null, 3600)]
    [InlineData("", 3600)]
    [InlineData(AccessToken, 0)]
    [InlineData(AccessToken, -1)]
    public async Task FetchAsync_AccessTokenEmptyOrExpired_AsksToLogInAgainWithoutCallingService(string? token, long secondsLeft)
    {
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(_ => (200, SuccessBody));
        CloudSsoProvider provider = CreateProvider(server.BaseUrl, settings: new CloudSsoSpec
        {
            SignInUrl = server.BaseUrl,
            AccountId = "a",
            AccessConfig = "c",
            AccessToken = token,
            AccessTokenExpire = Now + secondsLeft,
            ProfileName = "sso",
        });

        Func<Task> act = async () => await provider.FetchAsync(CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("cloud_sso");
        ex.Message.Should().Contain("re-login with the CLI").And.Contain("aliyun sso login --profile sso").And.NotContain(AccessToken);
        server.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task FetchAsync_TokenExpiresWhileRunning_FailsOnceTimePasses()
    {
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(_ => (200, SuccessBody));
        CloudSsoProvider provider = CreateProvider(server.BaseUrl);
        await provider.FetchAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(3600));

        Func<Task> act = async () => await provider.FetchAsync(CancellationToken.None);
        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("expired");
    }

    [Theory]
    [InlineData(null, "a", "c")]
    [InlineData("http://127.0.0.1:1", "", "c")]
    [InlineData("http://127.0.0.1:1", "a", null)]
    public async Task FetchAsync_MissingUrlAccountOrAccessConfig_ThrowsClearError(string? url, string? account, string? config)
    {
        var provider = CreateProvider("http://unused", settings: new CloudSsoSpec
        {
            SignInUrl = url,
            AccountId = account,
            AccessConfig = config,
            AccessToken = AccessToken,
            AccessTokenExpire = Now + 3600,
        });

        Func<Task> act = async () => await provider.FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain("sign in url, account id and access config cannot be empty").And.NotContain(AccessToken);
    }

    [Fact]
    public async Task FetchAsync_InvalidSignInUrl_ThrowsClearError()
    {
        var provider = CreateProvider("http://unused", settings: new CloudSsoSpec
        {
            SignInUrl = "not a url",
            AccountId = "a",
            AccessConfig = "c",
            AccessToken = AccessToken,
            AccessTokenExpire = Now + 3600,
        });

        Func<Task> act = async () => await provider.FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("cloud_sso_sign_in_url");
    }

    [Fact]
    public async Task FetchAsync_Non200_ThrowsWithEndpointStatusAndUpstreamCodeButNoToken()
    {
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(_ => (403,
            $$"""{"ErrorCode":"AccessDenied","ErrorMessage":"token {{AccessToken}} has no access","RequestId":"req-9"}"""));
        CloudSsoProvider provider = CreateProvider(server.BaseUrl);

        Func<Task> act = async () => await provider.FetchAsync(CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("cloud_sso");
        ex.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        ex.ErrorCode.Should().Be("AccessDenied");
        ex.RequestId.Should().Be("req-9");
        ex.Endpoint.Should().Be(server.BaseUrl + "/cloud-credentials");
        ex.Message.Should().Contain("403").And.Contain("AccessDenied").And.Contain("has no access")
            .And.Contain(server.BaseUrl + "/cloud-credentials").And.NotContain(AccessToken);
        _logs.AllText().Should().NotContain(AccessToken);
    }

    [Fact]
    public async Task FetchAsync_Non200WithCodeMessage_SurfacesThem()
    {
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(_ => (400, """{"Code":"InvalidParameter.AccountId","Message":"bad account"}"""));

        Func<Task> act = async () => await CreateProvider(server.BaseUrl).FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("InvalidParameter.AccountId: bad account");
    }

    [Theory]
    [InlineData("""{"CloudCredential":{"AccessKeyId":"id","AccessKeySecret":"sso-ak-secret-SECRET","Expiration":"2026-01-01T01:00:00Z"}}""", "lacks")]
    [InlineData("""{"CloudCredential":{"AccessKeyId":"id","AccessKeySecret":"sso-ak-secret-SECRET","SecurityToken":"t"}}""", "no Expiration")]
    [InlineData("""{"CloudCredential":{"AccessKeyId":"id","AccessKeySecret":"sso-ak-secret-SECRET","SecurityToken":"t","Expiration":"soon"}}""", "not a UTC time")]
    [InlineData("sso-ak-secret-SECRET <html>", "not valid JSON")]
    public async Task FetchAsync_BadSuccessBody_ThrowsWithoutEchoingSecrets(string body, string expected)
    {
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(_ => (200, body));

        Func<Task> act = async () => await CreateProvider(server.BaseUrl).FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain(expected).And.NotContain(AccessKeySecret).And.NotContain(AccessToken);
    }

    [Fact]
    public async Task FetchAsync_ServerUnreachable_ThrowsNamingEndpoint()
    {
        // Bind and release a port so nothing listens on it.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        Func<Task> act = async () => await CreateProvider($"http://127.0.0.1:{port}").FetchAsync(CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Endpoint.Should().Be($"http://127.0.0.1:{port}/cloud-credentials");
        ex.Message.Should().Contain("cloud-credentials").And.NotContain(AccessToken);
    }

    [Fact]
    public void GetEndpoint_KeepsSchemeHostAndPortOnly()
    {
        CloudSsoClient.GetEndpoint("https://signin-xyz.alibabacloudsso.com:8443/abc/login?x=1").ToString()
            .Should().Be("https://signin-xyz.alibabacloudsso.com:8443/cloud-credentials");
        CloudSsoClient.GetEndpoint("https://signin-xyz.alibabacloudsso.com/abc/login").ToString()
            .Should().Be("https://signin-xyz.alibabacloudsso.com/cloud-credentials");
    }

    [Fact]
    public void SuccessBody_IsValidJson() => JsonDocument.Parse(SuccessBody).RootElement.ValueKind.Should().Be(JsonValueKind.Object);
}
