using System.Net;
using System.Text.Json.Nodes;
using CloudCredentials.Alibaba.OAuth;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.OAuth;

public class OAuthProviderTests : IDisposable
{
    private const string OldAccessToken = "oauth-old-access-SECRET";
    private const string OldRefreshToken = "oauth-old-refresh-SECRET";
    private const string NewAccessToken = "oauth-new-access-SECRET";
    private const string NewRefreshToken = "oauth-new-refresh-SECRET";
    private const string StsSecret = "oauth-sts-secret-SECRET";
    private const string StsToken = "oauth-sts-token-SECRET";

    private static readonly string[] Secrets = [OldAccessToken, OldRefreshToken, NewAccessToken, NewRefreshToken, StsSecret, StsToken];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private readonly SessionTempDirectory _dir = new();
    private readonly HttpClient _http = new();

    private ILogger Logger => new FakeLogger(_logs, "test");

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private string ExchangeBody(int lifetimeSeconds = 3600) =>
        $$"""{"requestId":"r-1","accessKeyId":"STS.oauth-id","accessKeySecret":"{{StsSecret}}","securityToken":"{{StsToken}}","expiration":"{{_time.GetUtcNow().AddSeconds(lifetimeSeconds).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}}"}""";

    private static string TokenBody(int expiresIn = 7200) =>
        $$"""{"access_token":"{{NewAccessToken}}","refresh_token":"{{NewRefreshToken}}","expires_in":{{expiresIn}},"token_type":"Bearer"}""";

    private string WriteConfig(JsonObject oauthProfile)
    {
        var root = new JsonObject
        {
            ["current"] = "oauth",
            ["profiles"] = new JsonArray(
                new JsonObject { ["name"] = "default", ["mode"] = "AK", ["access_key_id"] = "x", ["access_key_secret"] = "y" },
                oauthProfile),
            ["meta_path"] = "/keep/me",
        };
        return _dir.Write("config.json", root.ToJsonString());
    }

    private JsonObject OAuthProfile(long accessTokenExpire, string? accessToken = OldAccessToken, string? refreshToken = OldRefreshToken, string site = "CN")
    {
        var profile = new JsonObject
        {
            ["name"] = "oauth",
            ["mode"] = "OAuth",
            ["oauth_site_type"] = site,
            ["oauth_access_token_expire"] = accessTokenExpire,
            ["region_id"] = "cn-shanghai",
            ["custom_unknown"] = new JsonObject { ["a"] = 1 },
        };
        if (accessToken is not null)
        {
            profile["oauth_access_token"] = accessToken;
        }

        if (refreshToken is not null)
        {
            profile["oauth_refresh_token"] = refreshToken;
        }

        return profile;
    }

    private OAuthProvider CreateProvider(string configPath, string baseUrl, string? siteType = null, CliConfigWriter? writer = null) =>
        new(
            new OAuthSpec { ConfigPath = configPath, ProfileName = "oauth", SiteType = siteType, BaseUrlOverride = baseUrl },
            () => new OAuthClient(_http, _time, Logger),
            writer ?? new CliConfigWriter(),
            _time,
            Logger);

    private static Func<RecordedRequest, (int, string)> Routes(Func<(int, string)> token, Func<(int, string)> exchange) =>
        r => r.Uri.AbsolutePath switch
        {
            "/v1/token" => token(),
            "/v1/exchange" => exchange(),
            _ => (404, "{}"),
        };

    private static JsonObject ReadProfile(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["profiles"]![1]!.AsObject();

    private void AssertNoSecretsLogged()
    {
        foreach (string secret in Secrets)
        {
            _logs.AllText().Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task FetchAsync_AccessTokenNearExpiry_RefreshesExchangesAndWritesBack()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: Now + 1200));
        string exchange = ExchangeBody();
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody(7200)), () => (200, exchange)));

        CloudCredential credential = await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        credential.Type.Should().Be(CredentialTypes.Sts);
        credential.ProviderName.Should().Be("oauth");
        credential.AccessKeyId.Should().Be("STS.oauth-id");
        credential.AccessKeySecret.Should().Be(StsSecret);
        credential.SecurityToken.Should().Be(StsToken);
        credential.Expiration.Should().Be(_time.GetUtcNow().AddHours(1));

        server.Received.Select(r => r.Uri.AbsolutePath).Should().Equal("/v1/token", "/v1/exchange");
        RecordedRequest refresh = server.Received[0];
        refresh.Method.Should().Be(HttpMethod.Post);
        refresh.Header("Content-Type").Should().StartWith("application/x-www-form-urlencoded");
        refresh.Form().Should().Contain("grant_type", "refresh_token")
            .And.Contain("refresh_token", OldRefreshToken)
            .And.Contain("client_id", "4038181954557748008")
            .And.Contain("Timestamp", "2026-01-01T00:00:00Z");
        RecordedRequest exchangeRequest = server.Received[1];
        exchangeRequest.Method.Should().Be(HttpMethod.Post);
        exchangeRequest.Header("Authorization").Should().Be("Bearer " + NewAccessToken);
        exchangeRequest.Header("Content-Type").Should().StartWith("application/json");

        JsonObject written = ReadProfile(path);
        written["oauth_access_token"]!.GetValue<string>().Should().Be(NewAccessToken);
        written["oauth_refresh_token"]!.GetValue<string>().Should().Be(NewRefreshToken);
        written["oauth_access_token_expire"]!.GetValue<long>().Should().Be(Now + 7200);
        written["access_key_id"]!.GetValue<string>().Should().Be("STS.oauth-id");
        written["access_key_secret"]!.GetValue<string>().Should().Be(StsSecret);
        written["sts_token"]!.GetValue<string>().Should().Be(StsToken);
        written["sts_expiration"]!.GetValue<long>().Should().Be(Now + 3600);
        written["region_id"]!.GetValue<string>().Should().Be("cn-shanghai");
        written["custom_unknown"]!["a"]!.GetValue<int>().Should().Be(1);
        JsonNode.Parse(File.ReadAllText(path))!["meta_path"]!.GetValue<string>().Should().Be("/keep/me");
        AssertNoSecretsLogged();
    }

    [Fact]
    public async Task FetchAsync_AccessTokenValidForMoreThan1200s_ExchangesWithoutRefresh()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: Now + 1201));
        string exchange = ExchangeBody();
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody()), () => (200, exchange)));

        await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        server.Received.Select(r => r.Uri.AbsolutePath).Should().Equal("/v1/exchange");
        server.Received[0].Header("Authorization").Should().Be("Bearer " + OldAccessToken);
        JsonObject written = ReadProfile(path);
        written["oauth_access_token"]!.GetValue<string>().Should().Be(OldAccessToken);
        written["oauth_refresh_token"]!.GetValue<string>().Should().Be(OldRefreshToken);
        written["sts_token"]!.GetValue<string>().Should().Be(StsToken);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task FetchAsync_EmptyAccessTokenOrZeroExpire_Refreshes(bool emptyAccessToken, bool zeroExpire)
    {
        string path = WriteConfig(OAuthProfile(zeroExpire ? 0 : Now + 7200, accessToken: emptyAccessToken ? null : OldAccessToken));
        string exchange = ExchangeBody();
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody()), () => (200, exchange)));

        await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        server.Received.Select(r => r.Uri.AbsolutePath).Should().Equal("/v1/token", "/v1/exchange");
    }

    [Fact]
    public async Task FetchAsync_NoRefreshToken_UsesStoredAccessTokenAsIs()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: Now + 60, refreshToken: null));
        string exchange = ExchangeBody();
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody()), () => (200, exchange)));

        await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        server.Received.Select(r => r.Uri.AbsolutePath).Should().Equal("/v1/exchange");
        server.Received[0].Header("Authorization").Should().Be("Bearer " + OldAccessToken);
        ReadProfile(path).ContainsKey("oauth_refresh_token").Should().BeFalse();
    }

    [Fact]
    public async Task FetchAsync_NoTokensAtAll_ThrowsLoginHint()
    {
        string path = WriteConfig(OAuthProfile(0, accessToken: null, refreshToken: null));
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody()), () => (200, "{}")));

        Func<Task> act = async () => await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain("neither oauth_access_token nor oauth_refresh_token").And.Contain("aliyun configure");
        server.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task FetchAsync_StoredStsStillValid_ReusesItWithoutCallingService()
    {
        JsonObject profile = OAuthProfile(accessTokenExpire: Now + 60);
        profile["access_key_id"] = "STS.stored";
        profile["access_key_secret"] = StsSecret;
        profile["sts_token"] = StsToken;
        profile["sts_expiration"] = Now + 3000;
        string path = WriteConfig(profile);
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody()), () => (200, "{}")));

        CloudCredential credential = await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("STS.stored");
        credential.SecurityToken.Should().Be(StsToken);
        credential.Type.Should().Be(CredentialTypes.Sts);
        credential.Expiration.Should().Be(DateTimeOffset.FromUnixTimeSeconds(Now + 3000));
        server.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task FetchAsync_StoredStsCloseToExpiry_ExchangesAgain()
    {
        JsonObject profile = OAuthProfile(accessTokenExpire: Now + 7200);
        profile["access_key_id"] = "STS.stored";
        profile["access_key_secret"] = StsSecret;
        profile["sts_token"] = StsToken;
        profile["sts_expiration"] = Now + 900;
        string path = WriteConfig(profile);
        string exchange = ExchangeBody();
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody()), () => (200, exchange)));

        CloudCredential credential = await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("STS.oauth-id");
        server.Received.Select(r => r.Uri.AbsolutePath).Should().Equal("/v1/exchange");
    }

    [Fact]
    public async Task FetchAsync_ProfileRewrittenBetweenFetches_UsesNewRefreshToken()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: Now + 100));
        string exchange = ExchangeBody(lifetimeSeconds: 600);
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody(expiresIn: 300)), () => (200, exchange)));
        OAuthProvider provider = CreateProvider(path, server.BaseUrl);

        await provider.FetchAsync(CancellationToken.None);
        // The CLI logs in again meanwhile and writes a new refresh token.
        await new CliConfigWriter().UpdateProfileAsync(path, "oauth", p => p["oauth_refresh_token"] = "cli-written-refresh-SECRET", CancellationToken.None);
        await provider.FetchAsync(CancellationToken.None);

        server.Received.Where(r => r.Uri.AbsolutePath == "/v1/token").Select(r => r.Form()["refresh_token"])
            .Should().Equal(OldRefreshToken, "cli-written-refresh-SECRET");
    }

    [Fact]
    public async Task FetchAsync_IntlSite_UsesIntlClientId()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: 0, site: "INTL"));
        string exchange = ExchangeBody();
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody()), () => (200, exchange)));

        await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        server.Received[0].Form()["client_id"].Should().Be("4103531455503354461");
    }

    [Fact]
    public async Task FetchAsync_SettingsSiteType_OverridesProfile()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: 0, site: "CN"));
        string exchange = ExchangeBody();
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody()), () => (200, exchange)));

        await CreateProvider(path, server.BaseUrl, siteType: "INTL").FetchAsync(CancellationToken.None);

        server.Received[0].Form()["client_id"].Should().Be("4103531455503354461");
    }

    [Theory]
    [InlineData("JP")]
    [InlineData("")]
    public async Task FetchAsync_InvalidSiteType_ThrowsNamingProfile(string site)
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: 0, site: site));

        Func<Task> act = async () => await CreateProvider(path, "http://127.0.0.1:9").FetchAsync(CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("oauth");
        ex.Message.Should().Contain("invalid OAuth site type").And.Contain("support CN or INTL").And.Contain("'oauth'");
    }

    [Fact]
    public void Sites_HaveOfficialBaseUrlsAndClientIds()
    {
        OAuthSite.Find("CN")!.BaseUrl.Should().Be(new Uri("https://oauth.aliyun.com"));
        OAuthSite.Find("cn")!.ClientId.Should().Be("4038181954557748008");
        OAuthSite.Find("INTL")!.BaseUrl.Should().Be(new Uri("https://oauth.alibabacloud.com"));
        OAuthSite.Find("INTL")!.ClientId.Should().Be("4103531455503354461");
        OAuthSite.Find("EU").Should().BeNull();
    }

    [Fact]
    public async Task FetchAsync_RefreshRejected_SurfacesOAuthErrorWithoutTokens()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: 0));
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(
            () => (400, $$"""{"error":"invalid_grant","error_description":"refresh token {{OldRefreshToken}} is revoked"}"""),
            () => (200, "{}")));

        Func<Task> act = async () => await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("oauth");
        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        ex.ErrorCode.Should().Be("invalid_grant");
        ex.Endpoint.Should().Be(server.BaseUrl + "/v1/token");
        ex.Message.Should().Contain("400").And.Contain("invalid_grant").And.Contain("is revoked").And.Contain("aliyun configure");
        foreach (string secret in Secrets)
        {
            ex.Message.Should().NotContain(secret);
        }

        AssertNoSecretsLogged();
        ReadProfile(path)["oauth_refresh_token"]!.GetValue<string>().Should().Be(OldRefreshToken);
    }

    [Fact]
    public async Task FetchAsync_RefreshSucceedsThenExchangeFails_RotatedTokensAreAlreadySaved()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: Now + 60));
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(
            () => (200, TokenBody(7200)),
            () => (503, """{"error":"server_error","error_description":"try later"}""")));

        Func<Task> act = async () => await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        await act.Should().ThrowAsync<CredentialUnavailableException>();
        JsonObject profile = ReadProfile(path);
        profile["oauth_refresh_token"]!.GetValue<string>().Should().Be(NewRefreshToken, "the old refresh token is spent: the new one must survive a restart");
        profile["oauth_access_token"]!.GetValue<string>().Should().Be(NewAccessToken);
        AssertNoSecretsLogged();
    }

    [Fact]
    public async Task FetchAsync_ExchangeExpiredToken_SurfacesErrorAndLoginHint()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: Now + 7200));
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(
            () => (200, TokenBody()),
            () => (401, """{"error":"expired_token","error_description":"The access token is expired.","requestId":"rq-5"}""")));

        Func<Task> act = async () => await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ErrorCode.Should().Be("expired_token");
        ex.RequestId.Should().Be("rq-5");
        ex.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        ex.Endpoint.Should().Be(server.BaseUrl + "/v1/exchange");
        ex.Message.Should().Contain("The access token is expired.").And.Contain("log in again").And.NotContain(OldAccessToken);
    }

    [Fact]
    public async Task FetchAsync_ExchangePascalCase_IsAccepted()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: Now + 7200));
        string body = $$"""{"RequestId":"r","AccessKeyId":"STS.pascal","AccessKeySecret":"{{StsSecret}}","SecurityToken":"{{StsToken}}","Expiration":"2026-01-01T01:00:00Z"}""";
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody()), () => (200, body)));

        CloudCredential credential = await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("STS.pascal");
        credential.Expiration.Should().Be(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task FetchAsync_ExchangeMissingFields_ThrowsWithoutEchoingBody()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: Now + 7200));
        string body = $$"""{"accessKeyId":"STS.x","accessKeySecret":"{{StsSecret}}","expiration":"2026-01-01T01:00:00Z"}""";
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody()), () => (200, body)));

        Func<Task> act = async () => await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain("lacks accessKeyId, accessKeySecret or securityToken").And.NotContain(StsSecret);
    }

    [Fact]
    public async Task FetchAsync_RefreshWithoutExpiresIn_Defaults3600()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: 0));
        string exchange = ExchangeBody();
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(
            () => (200, $$"""{"access_token":"{{NewAccessToken}}","refresh_token":"{{NewRefreshToken}}"}"""),
            () => (200, exchange)));

        await CreateProvider(path, server.BaseUrl).FetchAsync(CancellationToken.None);

        ReadProfile(path)["oauth_access_token_expire"]!.GetValue<long>().Should().Be(Now + 3600);
    }

    [Fact]
    public async Task FetchAsync_WriteBackFails_LogsWithoutSecretsAndKeepsRotatedTokensInMemory()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: Now + 100));
        Directory.CreateDirectory(path + ".lock"); // The lock file cannot be opened: every write-back fails.
        string exchange = ExchangeBody(lifetimeSeconds: 600);
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(() => (200, TokenBody(expiresIn: 7200)), () => (200, exchange)));
        OAuthProvider provider = CreateProvider(path, server.BaseUrl, writer: new CliConfigWriter(lockAttempts: 2, lockRetryDelay: TimeSpan.FromMilliseconds(1)));

        CloudCredential first = await provider.FetchAsync(CancellationToken.None);
        CloudCredential second = await provider.FetchAsync(CancellationToken.None);

        first.AccessKeyId.Should().Be("STS.oauth-id");
        second.AccessKeyId.Should().Be("STS.oauth-id");
        // The second fetch uses the in-memory refreshed access token (valid 2 h), not the stale file.
        server.Received.Select(r => r.Uri.AbsolutePath).Should().Equal("/v1/token", "/v1/exchange", "/v1/exchange");
        server.Received[2].Header("Authorization").Should().Be("Bearer " + NewAccessToken);
        _logs.GetSnapshot().Should().Contain(e => e.Id.Id == 3122);
        AssertNoSecretsLogged();
        ReadProfile(path)["oauth_refresh_token"]!.GetValue<string>().Should().Be(OldRefreshToken);
    }

    [Fact]
    public async Task FetchAsync_ProfileMissingOrNotOAuth_ThrowsClearError()
    {
        string path = WriteConfig(OAuthProfile(0));
        var missing = new OAuthProvider(
            new OAuthSpec { ConfigPath = path, ProfileName = "nope", BaseUrlOverride = "http://127.0.0.1:9" },
            () => new OAuthClient(_http, _time, Logger), new CliConfigWriter(), _time, Logger);
        var notOAuth = new OAuthProvider(
            new OAuthSpec { ConfigPath = path, ProfileName = "default", BaseUrlOverride = "http://127.0.0.1:9" },
            () => new OAuthClient(_http, _time, Logger), new CliConfigWriter(), _time, Logger);

        Func<Task> actMissing = async () => await missing.FetchAsync(CancellationToken.None);
        Func<Task> actNotOAuth = async () => await notOAuth.FetchAsync(CancellationToken.None);

        (await actMissing.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("'nope' not found");
        (await actNotOAuth.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("not OAuth");
    }

    [Fact]
    public async Task FetchAsync_ConfigFileMissing_ThrowsNamingFile()
    {
        string path = _dir.File("absent.json");

        Func<Task> act = async () => await CreateProvider(path, "http://127.0.0.1:9").FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain(path);
    }

    [Fact]
    public async Task FetchAsync_ConcurrentFetches_RefreshOnce()
    {
        string path = WriteConfig(OAuthProfile(accessTokenExpire: 0));
        string exchange = ExchangeBody();
        int refreshes = 0;
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(Routes(
            () =>
            {
                int n = Interlocked.Increment(ref refreshes);
                return (200, n == 1 ? TokenBody() : """{"error":"invalid_grant","error_description":"refresh token already used"}""");
            },
            () => (200, exchange)));
        OAuthProvider provider = CreateProvider(path, server.BaseUrl);

        CloudCredential[] results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => provider.FetchAsync(CancellationToken.None).AsTask()));

        results.Should().OnlyContain(c => c.AccessKeyId == "STS.oauth-id");
        refreshes.Should().Be(1, "fetches are serialised and later ones reuse the stored credential");
    }
}
