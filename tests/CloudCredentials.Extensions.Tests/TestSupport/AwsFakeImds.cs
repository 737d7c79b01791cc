using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>
/// An in-memory EC2 instance metadata service (no socket at all): issues IMDSv2 tokens whose TTL runs on the fake clock,
/// answers 401 to an expired or unknown token (and to a GET without a token when <see cref="RequireToken"/>), serves
/// the role list and the role's credential JSON, counts requests, and can be told to fail like the real service.
/// </summary>
public sealed class AwsFakeImds : HttpMessageHandler
{
    public const string Secret = "AwsImdsSecretAccessKeyValue";
    public const string SessionToken = "AwsImdsSessionTokenValue";
    public const string RolePath = "/latest/meta-data/iam/security-credentials/";

    private readonly FakeTimeProvider _time;
    private readonly Dictionary<string, DateTimeOffset> _tokens = [];
    private readonly object _gate = new();
    private int _tokenPuts;
    private int _tokenSequence;
    private int _unauthorized;

    public AwsFakeImds(FakeTimeProvider time) => _time = time;

    public int TokenPuts => Volatile.Read(ref _tokenPuts);

    public int V1Gets { get; private set; }

    public int V2Gets { get; private set; }

    public string RoleList { get; set; } = "app-role\nsecond-role\n";

    public string RoleName { get; set; } = "app-role";

    /// <summary>IMDSv2 only: a GET without a token is answered 401.</summary>
    public bool RequireToken { get; set; }

    /// <summary>When set, the token PUT answers this status.</summary>
    public HttpStatusCode? TokenPutStatus { get; set; }

    /// <summary>The token PUT never answers (until cancelled).</summary>
    public bool TokenPutHangs { get; set; }

    /// <summary>Answers this many tokenised GETs with 401 (a revoked token) before serving them.</summary>
    public int RejectTokenisedGets { get; set; }

    /// <summary>Answers this many GETs with 500 before serving them.</summary>
    public int FailGets { get; set; }

    /// <summary>When set, every GET answers this status.</summary>
    public HttpStatusCode? GetStatus { get; set; }

    public string? CredentialBody { get; set; }

    public string Expiration { get; set; } = "2026-01-01T06:00:00Z";

    public List<string> IssuedTokens { get; } = [];

    /// <summary>When set, tokens live at most this many seconds, and the PUT's answer says so in its TTL header (as IMDS does).</summary>
    public int? MaxTokenTtl { get; set; }

    /// <summary>When set, the token PUT waits for it (so callers pile up behind the one PUT in flight).</summary>
    public TaskCompletionSource? PutGate { get; set; }

    /// <summary>How many GETs were answered 401.</summary>
    public int Unauthorized => Volatile.Read(ref _unauthorized);

    /// <summary>Forgets every token issued so far (the service rejects them with 401 from now on).</summary>
    public void RevokeTokens()
    {
        lock (_gate)
        {
            _tokens.Clear();
        }
    }

    public string Body(string code = "Success") =>
        $$"""{"Code":"{{code}}","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDSKEYID","SecretAccessKey":"{{Secret}}","Token":"{{SessionToken}}","Expiration":"{{Expiration}}","Extra":1}""";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Put && path == "/latest/api/token")
        {
            Interlocked.Increment(ref _tokenPuts);
            if (TokenPutHangs)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (PutGate is { } putGate)
            {
                await putGate.Task.WaitAsync(cancellationToken);
            }

            return Token(request);
        }

        lock (_gate)
        {
            return Get(request, path);
        }
    }

    private HttpResponseMessage Token(HttpRequestMessage request)
    {
        if (TokenPutStatus is { } forced)
        {
            return StubHandler.Response(forced, "refused", "text/plain");
        }

        string ttl = request.Headers.TryGetValues("X-aws-ec2-metadata-token-ttl-seconds", out var values) ? values.Single() : "";
        if (!int.TryParse(ttl, out int seconds) || seconds < 1 || seconds > 21600)
        {
            return StubHandler.Response(HttpStatusCode.BadRequest, "bad ttl", "text/plain");
        }

        lock (_gate)
        {
            string token = $"aws-imds-token-{++_tokenSequence}-secretpart";
            int granted = Math.Min(seconds, MaxTokenTtl ?? seconds);
            _tokens[token] = _time.GetUtcNow().AddSeconds(granted);
            IssuedTokens.Add(token);
            HttpResponseMessage response = StubHandler.Response(HttpStatusCode.OK, token + "\n", "text/plain");
            response.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", granted.ToString(CultureInfo.InvariantCulture));
            return response;
        }
    }

    private HttpResponseMessage Rejected()
    {
        Interlocked.Increment(ref _unauthorized);
        return StubHandler.Response(HttpStatusCode.Unauthorized, "", "text/plain");
    }

    private HttpResponseMessage Get(HttpRequestMessage request, string path)
    {
        if (request.Method != HttpMethod.Get || !path.StartsWith(RolePath, StringComparison.Ordinal))
        {
            return StubHandler.Response(HttpStatusCode.NotFound, "not found", "text/plain");
        }

        string? sent = request.Headers.TryGetValues("X-aws-ec2-metadata-token", out var t) ? t.Single() : null;
        if (sent is null)
        {
            V1Gets++;
            if (RequireToken)
            {
                return Rejected();
            }
        }
        else
        {
            V2Gets++;
            if (RejectTokenisedGets > 0)
            {
                RejectTokenisedGets--;
                return Rejected();
            }

            if (!_tokens.TryGetValue(sent, out DateTimeOffset expires) || _time.GetUtcNow() >= expires)
            {
                return Rejected();
            }
        }

        if (FailGets > 0)
        {
            FailGets--;
            return StubHandler.Response(HttpStatusCode.InternalServerError, "busy", "text/plain");
        }

        if (GetStatus is { } status)
        {
            return StubHandler.Response(status, "failed", "text/plain");
        }

        string rest = path[RolePath.Length..];
        if (rest.Length == 0)
        {
            return StubHandler.Response(HttpStatusCode.OK, RoleList, "text/plain");
        }

        return Uri.UnescapeDataString(rest) == RoleName
            ? StubHandler.Response(HttpStatusCode.OK, CredentialBody ?? Body(), "text/plain")
            : StubHandler.Response(HttpStatusCode.NotFound, "not found", "text/plain");
    }
}
