using System.Net;
using CloudCredentials.Alibaba.OAuth;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.OAuth;

/// <summary>
/// Issue 9 item 10: the OAuth service URL follows the plain-http rule of STS and credentials URIs. A profile only ever
/// names an https site (CN or INTL); a base URL given in its place must be https, loopback or an allowed host.
/// </summary>
public sealed class OAuthPlainHttpTests : IDisposable
{
    private const string AccessToken = "oauth-plain-access-Rt52";
    private const string RefreshToken = "oauth-plain-refresh-Kw16";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-oauth-plain-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task BaseUrl_PlainHttpToAPublicHost_FetchFailsWithTheAdviceAndSendsNothing()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.BadRequest, """{"error":"stub","error_description":"must not be called"}""");
        OAuthProvider provider = Create(stub, "http://oauth.example.com", []);

        Func<Task> act = () => provider.FetchAsync(CancellationToken.None).AsTask();

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("the OAuth base URL http://oauth.example.com/ uses plain http to oauth.example.com")
            .And.Contain("add the host to AllowedHttpHosts");
        stub.Calls.Should().Be(0, "the refresh and access tokens must not be sent unencrypted");
        ex.ToString().Should().NotContain(AccessToken).And.NotContain(RefreshToken);
        _logs.AllText().Should().NotContain(AccessToken).And.NotContain(RefreshToken);
    }

    [Fact]
    public async Task BaseUrl_PlainHttpToAnAllowedHost_IsCalled()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"stubbed"}""");
        OAuthProvider provider = Create(stub, "http://oauth.example.com", ["oauth.example.com"]);

        Func<Task> act = () => provider.FetchAsync(CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("invalid_grant");
        stub.Requests.Should().ContainSingle().Which.Uri.Should().Be(new Uri("http://oauth.example.com/v1/token"));
    }

    private OAuthProvider Create(StubHandler stub, string baseUrl, string[] allowedHttpHosts)
    {
        string config = Path.Combine(_dir, "config.json");
        File.WriteAllText(config, $$"""
            {"current":"oauth","profiles":[{"name":"oauth","mode":"OAuth","oauth_site_type":"CN",
              "oauth_access_token":"{{AccessToken}}","oauth_refresh_token":"{{RefreshToken}}","oauth_access_token_expire":0}]}
            """);
        var http = new HttpClient(stub);
        ILogger logger = _logs.CreateFactory().CreateLogger("test");
        return new OAuthProvider(
            new OAuthSpec { ConfigPath = config, ProfileName = "oauth", BaseUrlOverride = baseUrl, AllowedHttpHosts = allowedHttpHosts },
            () => new OAuthClient(http, _time, logger),
            new CliConfigWriter(),
            _time,
            logger);
    }
}
