using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>
/// An in-memory ECS metadata service: issues IMDSv2 tokens that expire on the fake clock, serves a role list and
/// credentials, counts requests, and can be told to fail in the ways real services do.
/// </summary>
public sealed class FakeImds : HttpMessageHandler
{
    public const string Secret = "ImdsAccessKeySecretValue";
    public const string Token = "ImdsSecurityTokenValue";

    private readonly FakeTimeProvider _time;
    private readonly Dictionary<string, DateTimeOffset> _tokens = [];
    private readonly object _gate = new();
    private int _tokenSequence;

    public FakeImds(FakeTimeProvider time) => _time = time;

    public List<string> Log { get; } = [];

    public int TokenPuts { get; private set; }

    public int V1Gets { get; private set; }

    public int V2Gets { get; private set; }

    public string RoleList { get; set; } = "app-role\n";

    public string RoleName { get; set; } = "app-role";

    public bool RequireToken { get; set; }

    /// <summary>When set, the token PUT answers this status (or throws a timeout when 0).</summary>
    public HttpStatusCode? TokenPutStatus { get; set; }

    /// <summary>Answers this many tokenised GETs with 401 before serving them.</summary>
    public int RejectTokenisedGets { get; set; }

    /// <summary>When set, tokenised GETs answer this status.</summary>
    public HttpStatusCode? TokenisedGetStatus { get; set; }

    public string? CredentialBody { get; set; }

    public HttpStatusCode CredentialStatus { get; set; } = HttpStatusCode.OK;

    public List<string> IssuedTokens { get; } = [];

    public string Body(string code = "Success", string expiration = "2026-01-01T06:00:00Z") =>
        $$"""{"Code":"{{code}}","AccessKeyId":"STS.imdsKeyId","AccessKeySecret":"{{Secret}}","SecurityToken":"{{Token}}","Expiration":"{{expiration}}","LastUpdated":"2026-01-01T00:00:00Z"}""";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            string path = request.RequestUri!.AbsolutePath;
            Log.Add($"{request.Method} {path}");
            if (request.Method == HttpMethod.Put && path == "/latest/api/token")
            {
                TokenPuts++;
                if (TokenPutStatus is { } forced)
                {
                    if (forced == 0)
                    {
                        return Task.FromException<HttpResponseMessage>(new TimeoutException("PUT http://imds/latest/api/token did not answer within the per-attempt timeout of 1 s"));
                    }

                    return Task.FromResult(StubHandler.Response(forced, "denied", "text/plain"));
                }

                string ttl = request.Headers.TryGetValues("X-aliyun-ecs-metadata-token-ttl-seconds", out var values) ? values.Single() : "";
                if (!int.TryParse(ttl, out int seconds) || seconds < 1 || seconds > 21600)
                {
                    return Task.FromResult(StubHandler.Response(HttpStatusCode.BadRequest, "bad ttl", "text/plain"));
                }

                string token = $"imds-token-{++_tokenSequence}-secretpart";
                _tokens[token] = _time.GetUtcNow().AddSeconds(seconds);
                IssuedTokens.Add(token);
                return Task.FromResult(StubHandler.Response(HttpStatusCode.OK, token, "text/plain"));
            }

            if (request.Method != HttpMethod.Get || !path.StartsWith("/latest/meta-data/ram/security-credentials/", StringComparison.Ordinal))
            {
                return Task.FromResult(StubHandler.Response(HttpStatusCode.NotFound));
            }

            string? sent = request.Headers.TryGetValues("X-aliyun-ecs-metadata-token", out var t) ? t.Single() : null;
            if (sent is null)
            {
                V1Gets++;
                if (RequireToken)
                {
                    return Task.FromResult(StubHandler.Response(HttpStatusCode.Unauthorized, "token required", "text/plain"));
                }
            }
            else
            {
                V2Gets++;
                if (RejectTokenisedGets > 0)
                {
                    RejectTokenisedGets--;
                    return Task.FromResult(StubHandler.Response(HttpStatusCode.Unauthorized, "token rejected", "text/plain"));
                }

                if (TokenisedGetStatus is { } s)
                {
                    return Task.FromResult(StubHandler.Response(s, "failed", "text/plain"));
                }

                if (!_tokens.TryGetValue(sent, out DateTimeOffset expires) || _time.GetUtcNow() >= expires)
                {
                    return Task.FromResult(StubHandler.Response(HttpStatusCode.Unauthorized, "token expired", "text/plain"));
                }
            }

            string rest = path["/latest/meta-data/ram/security-credentials/".Length..];
            if (rest.Length == 0)
            {
                return Task.FromResult(StubHandler.Response(HttpStatusCode.OK, RoleList, "text/plain"));
            }

            if (Uri.UnescapeDataString(rest) != RoleName)
            {
                return Task.FromResult(StubHandler.Response(HttpStatusCode.NotFound, "not found", "text/plain"));
            }

            return Task.FromResult(StubHandler.Response(CredentialStatus, CredentialBody ?? Body()));
        }
    }
}
