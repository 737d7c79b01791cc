using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CloudCredentials.Alibaba.OAuth;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Internal;
using CloudCredentials.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.OAuth;

/// <summary>
/// Two processes sharing one OAuth profile must not spend its single-use refresh token twice. Each "process" here is an
/// <see cref="OAuthProvider"/> and a <see cref="CliConfigWriter"/> with in-process gates of their own, so only the
/// config's lock file stands between them; the token server rotates the refresh token and answers a reused one with
/// <c>invalid_grant</c>, as the real service does.
/// </summary>
public sealed class OAuthProviderCrossProcessTests : IDisposable
{
    private const string FirstRefreshToken = "oauth-refresh-1-SECRET";
    private const string OldAccessToken = "oauth-access-0-SECRET";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private readonly SessionTempDirectory _dir = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private string WriteConfig(long accessTokenExpire) => _dir.Write("config.json", new JsonObject
    {
        ["current"] = "oauth",
        ["profiles"] = new JsonArray(new JsonObject
        {
            ["name"] = "oauth",
            ["mode"] = "OAuth",
            ["oauth_site_type"] = "CN",
            ["oauth_access_token"] = OldAccessToken,
            ["oauth_refresh_token"] = FirstRefreshToken,
            ["oauth_access_token_expire"] = accessTokenExpire,
        }),
    }.ToJsonString());

    /// <summary>One simulated process: a provider and a writer with gates of their own.</summary>
    private OAuthProvider Process(string path, string baseUrl) =>
        new(
            new OAuthSpec { ConfigPath = path, ProfileName = "oauth", BaseUrlOverride = baseUrl },
            () => new OAuthClient(_http, _time, _logs.CreateFactory().CreateLogger("oauth-client")),
            new CliConfigWriter(lockAttempts: 400, lockRetryDelay: TimeSpan.FromMilliseconds(10), processGates: new KeyedGates(StringComparer.Ordinal)),
            _time,
            _logs.CreateFactory().CreateLogger("oauth"),
            new KeyedGates(StringComparer.Ordinal));

    private static JsonObject ReadProfile(string path) => JsonNode.Parse(File.ReadAllText(path))!["profiles"]![0]!.AsObject();

    [Fact]
    public async Task FetchAsync_TwoProcessesRefreshAtOnce_SpendTheRefreshTokenOnce()
    {
        string path = WriteConfig(accessTokenExpire: 0);
        await using var server = await RotatingOAuthServer.StartAsync(_time);

        CloudCredential[] results = await Task.WhenAll(
            Task.Run(async () => await Process(path, server.BaseUrl).FetchAsync(CancellationToken.None)),
            Task.Run(async () => await Process(path, server.BaseUrl).FetchAsync(CancellationToken.None)));

        server.RefreshTokensPresented.Should().Equal([FirstRefreshToken], "the second process must find the first one's tokens under the lock");
        server.InvalidGrants.Should().Be(0);
        results.Should().OnlyContain(c => c.AccessKeyId == "STS.oauth-1");
        ReadProfile(path)["oauth_refresh_token"]!.GetValue<string>().Should().Be("oauth-refresh-2-SECRET");
        _logs.AllText().Should().NotContain("SECRET");
    }

    [Fact]
    public async Task FetchAsync_AnotherProcessRefreshedWhileWaitingForTheLock_UsesItsTokensWithoutRefreshing()
    {
        string path = WriteConfig(accessTokenExpire: Now + 60);
        await using var server = await RotatingOAuthServer.StartAsync(_time);
        OAuthProvider provider = Process(path, server.BaseUrl);

        // The other process holds the lock while it refreshes: the fetch reads the stale profile, then must wait.
        var held = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Task<CloudCredential> fetch = Task.Run(async () => await provider.FetchAsync(CancellationToken.None));
        await Task.Delay(200);
        JsonObject root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        JsonObject profile = root["profiles"]![0]!.AsObject();
        profile["oauth_access_token"] = "oauth-access-by-other-SECRET";
        profile["oauth_refresh_token"] = "oauth-refresh-by-other-SECRET";
        profile["oauth_access_token_expire"] = Now + 7200;
        File.WriteAllText(path, root.ToJsonString());
        await held.DisposeAsync();

        CloudCredential credential = await fetch.WaitAsync(TimeSpan.FromSeconds(10));

        server.RefreshTokensPresented.Should().BeEmpty("the other process's access token is fresh: "
            + "refreshing with the token read before the lock would spend a refresh token that is already gone");
        server.BearerTokensExchanged.Should().Equal(["oauth-access-by-other-SECRET"]);
        credential.AccessKeyId.Should().Be("STS.oauth-1");
        ReadProfile(path)["oauth_refresh_token"]!.GetValue<string>().Should().Be("oauth-refresh-by-other-SECRET");
    }

    [Fact]
    public async Task FetchAsync_LockCannotBeTaken_RefreshesWithoutItAndWarns()
    {
        string path = WriteConfig(accessTokenExpire: 0);
        Directory.CreateDirectory(path + ".lock"); // The lock file can never be opened (as in a read-only folder).
        await using var server = await RotatingOAuthServer.StartAsync(_time);
        var provider = new OAuthProvider(
            new OAuthSpec { ConfigPath = path, ProfileName = "oauth", BaseUrlOverride = server.BaseUrl },
            () => new OAuthClient(_http, _time, _logs.CreateFactory().CreateLogger("oauth-client")),
            new CliConfigWriter(lockAttempts: 2, lockRetryDelay: TimeSpan.FromMilliseconds(1)),
            _time,
            _logs.CreateFactory().CreateLogger("oauth"));

        CloudCredential credential = await provider.FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("STS.oauth-1");
        server.RefreshTokensPresented.Should().Equal([FirstRefreshToken]);
        _logs.GetSnapshot().Should().Contain(e => e.Id.Id == 3123 && e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        _logs.AllText().Should().NotContain("SECRET");
    }

    /// <summary>
    /// An OAuth service on 127.0.0.1 whose refresh tokens are single use and rotate (<c>oauth-refresh-N</c> buys
    /// <c>oauth-access-N</c> and <c>oauth-refresh-N+1</c>). A refresh answers only after a second refresh arrives or
    /// 500 ms pass, so two processes that both read the old token before either refreshes do collide.
    /// </summary>
    private sealed class RotatingOAuthServer : IAsyncDisposable
    {
        private readonly ConcurrentQueue<string> _refreshTokens = new();
        private readonly ConcurrentQueue<string> _bearers = new();
        private readonly ConcurrentDictionary<string, bool> _spent = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource _secondRefresh = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TimeProvider _time;
        private LoopbackServer? _server;
        private int _invalidGrants;
        private int _exchanges;

        private RotatingOAuthServer(TimeProvider time) => _time = time;

        public string BaseUrl => _server!.BaseUrl;

        public IReadOnlyList<string> RefreshTokensPresented => [.. _refreshTokens];

        public IReadOnlyList<string> BearerTokensExchanged => [.. _bearers];

        public int InvalidGrants => Volatile.Read(ref _invalidGrants);

        public static async Task<RotatingOAuthServer> StartAsync(TimeProvider time)
        {
            var server = new RotatingOAuthServer(time);
            server._server = await LoopbackServer.StartAsync((context, _) => server.HandleAsync(context));
            return server;
        }

        private async Task HandleAsync(HttpContext context)
        {
            context.Response.ContentType = "application/json";
            if (context.Request.Path == "/v1/token")
            {
                IFormCollection form = await context.Request.ReadFormAsync();
                string presented = form["refresh_token"].ToString();
                _refreshTokens.Enqueue(presented);
                if (_refreshTokens.Count > 1)
                {
                    _secondRefresh.TrySetResult();
                }
                else
                {
                    await Task.WhenAny(_secondRefresh.Task, Task.Delay(500));
                }

                if (!presented.StartsWith("oauth-refresh-", StringComparison.Ordinal) || !_spent.TryAdd(presented, true))
                {
                    Interlocked.Increment(ref _invalidGrants);
                    context.Response.StatusCode = 400;
                    await context.Response.WriteAsync("""{"error":"invalid_grant","error_description":"refresh token is invalid or already used"}""");
                    return;
                }

                int n = int.Parse(presented["oauth-refresh-".Length..presented.IndexOf('-', "oauth-refresh-".Length)], System.Globalization.CultureInfo.InvariantCulture);
                await context.Response.WriteAsync(
                    $$"""{"access_token":"oauth-access-{{n}}-SECRET","refresh_token":"oauth-refresh-{{n + 1}}-SECRET","expires_in":7200,"token_type":"Bearer"}""");
                return;
            }

            if (context.Request.Path == "/v1/exchange")
            {
                _bearers.Enqueue(context.Request.Headers.Authorization.ToString()["Bearer ".Length..]);
                int n = Interlocked.Increment(ref _exchanges);
                string expiration = _time.GetUtcNow().AddHours(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                await context.Response.WriteAsync(
                    $$"""{"accessKeyId":"STS.oauth-{{n}}","accessKeySecret":"sts-secret-{{n}}-SECRET","securityToken":"sts-token-{{n}}-SECRET","expiration":"{{expiration}}"}""");
                return;
            }

            context.Response.StatusCode = 404;
        }

        public async ValueTask DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }
}
