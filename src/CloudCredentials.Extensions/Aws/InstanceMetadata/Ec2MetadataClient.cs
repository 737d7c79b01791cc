using System.Globalization;
using System.Net;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Aws.InstanceMetadata;

/// <summary>
/// GETs from the EC2 instance metadata service with the endpoint's IMDSv2 session token. The token comes from
/// <c>PUT /latest/api/token</c> (TTL 21600 s) and lives in the process-wide <see cref="ImdsTokenCache"/> (keyed
/// <see cref="InstanceMetadataSpec.TokenCacheKey"/>): one token per endpoint for every registration and caller, one PUT
/// at a time per endpoint, renewed 5 minutes before its TTL ends, dropped at once when a GET is answered 401 (then one
/// new token and one more GET). IMDSv1 (a GET without a token) is used only after the token PUT answered 403, 404 or
/// 405 and unless IMDSv1 is disabled; 400, 5xx and timeouts fail. A v1 GET answered 401 goes back to tokens at once.
/// </summary>
internal sealed class Ec2MetadataClient
{
    /// <summary>The token path.</summary>
    public const string TokenPath = "/latest/api/token";

    /// <summary>The header carrying the requested token TTL in seconds.</summary>
    public const string TokenTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";

    /// <summary>The header carrying the token on GETs.</summary>
    public const string TokenHeader = "X-aws-ec2-metadata-token";

    private const string ProviderName = InstanceMetadataSpec.ProviderName;
    private const string V1Hint = $"the IMDSv1 fallback is disabled ({AwsEnvironment.Ec2MetadataV1Disabled}=true)";

    private readonly HttpClient _httpClient;
    private readonly ImdsTokenCache _tokens;
    private readonly InstanceMetadataSpec _spec;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the client.</summary>
    /// <param name="httpClient">The HttpClient (no proxy, no retries of its own).</param>
    /// <param name="tokens">The process-wide AWS token cache.</param>
    /// <param name="spec">Endpoint, IMDSv1 switch, timeout and attempts.</param>
    /// <param name="time">The clock that decides when a token is renewed and when an attempt times out.</param>
    /// <param name="logger">The logger.</param>
    public Ec2MetadataClient(HttpClient httpClient, ImdsTokenCache tokens, InstanceMetadataSpec spec, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClient = httpClient;
        _tokens = tokens;
        _spec = spec;
        _time = time;
        _logger = logger;
    }

    /// <summary>Gets the metadata service this client talks to.</summary>
    public Uri Endpoint => _spec.Endpoint;

    /// <summary>GETs <paramref name="path"/> (with up to <see cref="InstanceMetadataSpec.Attempts"/> attempts on a timeout, a transport error or a 5xx).</summary>
    /// <param name="path">The metadata path, such as <c>/latest/meta-data/iam/security-credentials/</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer, whatever its status (status 0 when the service never answered).</returns>
    /// <exception cref="CredentialUnavailableException">No token could be had and IMDSv1 may not be used.</exception>
    public async Task<ImdsAnswer> GetAsync(string path, CancellationToken cancellationToken)
    {
        var url = new Uri(Endpoint, path);
        ImdsToken? token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        ImdsAnswer answer = await SendAsync(HttpMethod.Get, url, token, cancellationToken).ConfigureAwait(false);
        if (answer.Status != HttpStatusCode.Unauthorized)
        {
            return answer;
        }

        if (token is not null)
        {
            // Dropped at once, for every caller (a newer token another caller fetched meanwhile is kept).
            _tokens.Invalidate(Endpoint, token);
            Log.TokenRejected(_logger, SecretRedactor.DisplayUri(url));
        }
        else
        {
            // The service wants a token after all: forget the IMDSv1 fallback now, not when it would lapse.
            _tokens.SetFailure(Endpoint, _time.GetUtcNow());
            Log.V1Unauthorized(_logger, SecretRedactor.DisplayUri(url));
        }

        token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return await SendAsync(HttpMethod.Get, url, token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The endpoint's cached token, or a new one (one PUT per endpoint at a time); <see langword="null"/> to use IMDSv1.</summary>
    private async Task<ImdsToken?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (Cached() is { } cached)
        {
            return cached;
        }

        if (UsingV1())
        {
            return null;
        }

        TokenError? before = _tokens.LastTokenError(Endpoint);
        SemaphoreSlim gate = _tokens.GateFor(Endpoint);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have fetched a token, met a 403/404/405, or failed for good while this one waited.
            if (Cached() is { } fetched)
            {
                return fetched;
            }

            if (_tokens.LastTokenError(Endpoint) is { } failed && !ReferenceEquals(failed, before) && failed.Error is CredentialUnavailableException shared)
            {
                throw new CredentialUnavailableException(ProviderName, $"{shared.Reason ?? shared.Message} (the PUT another caller sent while this one waited)", shared)
                {
                    Endpoint = shared.Endpoint,
                    StatusCode = shared.StatusCode,
                };
            }

            return UsingV1() ? null : await PutTokenAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private ImdsToken? Cached() => _tokens.TryGet(Endpoint, _time.GetUtcNow());

    private bool UsingV1() => !_spec.DisableV1 && _tokens.TryGetFailure(Endpoint, _time.GetUtcNow()) is not null;

    private async Task<ImdsToken?> PutTokenAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(Endpoint, TokenPath);
        DateTimeOffset requestedAt = _time.GetUtcNow();
        ImdsAnswer answer = await SendAsync(HttpMethod.Put, url, token: null, cancellationToken).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.OK && !string.IsNullOrWhiteSpace(answer.Body))
        {
            // The service may grant less than the 6 h asked for (it says so in the TTL header): renew before that ends.
            var token = new ImdsToken(answer.Body.Trim(), ImdsTokenCache.ReuseUntil(requestedAt, answer.GrantedTtl));
            _tokens.Set(Endpoint, token);
            Log.TokenFetched(_logger, SecretRedactor.DisplayUri(url), CredentialJson.FormatUtc(token.ReuseUntil));
            return token;
        }

        string outcome = answer.Failure ?? (answer.Status == HttpStatusCode.OK
            ? "answered 200 (OK) with an empty token"
            : $"answered {HttpFailure.Status(answer.Status)}");
        if (answer.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            if (_spec.DisableV1)
            {
                throw TokenFailure(url, answer, $"{outcome}, and {V1Hint}. Enable IMDSv2 on the instance (http-tokens), or allow IMDSv1 by unsetting {AwsEnvironment.Ec2MetadataV1Disabled}.");
            }

            // Remembered before the gate opens, so callers waiting on it use IMDSv1 without repeating the PUT.
            _tokens.SetFailure(Endpoint, _time.GetUtcNow() + ImdsTokenCache.FailureBackoff);
            Log.TokenRefusedUsingV1(_logger, SecretRedactor.DisplayUri(url), outcome);
            return null;
        }

        string advice = answer.Status == HttpStatusCode.BadRequest
            ? "The service refused the request (400 is final: no IMDSv1 fallback); check that the endpoint is an EC2 metadata service."
            : $"No IMDSv1 fallback after a timeout or a server error (only 403/404/405 fall back). Is this an EC2 instance? In a container on EC2, the instance's http-put-response-hop-limit must be 2 or more; outside EC2 set {AwsEnvironment.Ec2MetadataDisabled}=true.";
        throw TokenFailure(url, answer, $"{outcome}. {advice}");
    }

    /// <summary>The TTL the token PUT's answer grants (its TTL header, positive whole seconds), else <see langword="null"/>.</summary>
    private static TimeSpan? GrantedTtl(HttpResponseMessage response) =>
        response.Headers.TryGetValues(TokenTtlHeader, out IEnumerable<string>? values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds)
        && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private CredentialUnavailableException TokenFailure(Uri url, ImdsAnswer answer, string reason)
    {
        CredentialUnavailableException error = HttpFailure.Create(
            ProviderName,
            $"could not get an IMDSv2 session token: PUT {url} {reason}",
            url,
            answer.Status == 0 ? null : answer.Status,
            inner: answer.Exception);
        _tokens.SetTokenError(Endpoint, error);
        return error;
    }

    /// <summary>Sends one request with up to <see cref="InstanceMetadataSpec.Attempts"/> attempts, each bounded by <see cref="InstanceMetadataSpec.Timeout"/>.</summary>
    private async Task<ImdsAnswer> SendAsync(HttpMethod method, Uri url, ImdsToken? token, CancellationToken cancellationToken)
    {
        ImdsAnswer answer = default!;
        for (int attempt = 1; attempt <= _spec.Attempts; attempt++)
        {
            answer = await SendOnceAsync(method, url, token, cancellationToken).ConfigureAwait(false);
            if (answer.Status != 0 && (int)answer.Status < 500)
            {
                break;
            }
        }

        return answer;
    }

    private async Task<ImdsAnswer> SendOnceAsync(HttpMethod method, Uri url, ImdsToken? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        UserAgent.Apply(request);
        if (method == HttpMethod.Put)
        {
            request.Headers.TryAddWithoutValidation(TokenTtlHeader, ((int)ImdsTokenCache.TokenTtl.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }
        else if (token is not null)
        {
            request.Headers.TryAddWithoutValidation(TokenHeader, token.Value);
        }

        using var timeout = new CancellationTokenSource(_spec.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using HttpResponseMessage response = await _httpClient.SendAsync(request, linked.Token).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            return new ImdsAnswer(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, null, null, token?.Value)
            {
                GrantedTtl = GrantedTtl(response),
            };
        }
        catch (Exception ex) when (HttpFailure.IsTransport(ex) && !cancellationToken.IsCancellationRequested)
        {
            string failure = timeout.IsCancellationRequested
                ? string.Create(CultureInfo.InvariantCulture, $"timed out after {_spec.Timeout.TotalSeconds:0.###} s ({AwsEnvironment.MetadataServiceTimeout})")
                : HttpFailure.DescribeTransport(ex, token is null ? null : [token.Value]);
            return new ImdsAnswer(0, string.Empty, null, failure, ex, token?.Value);
        }
    }
}

/// <summary>
/// What an IMDS request got: the status and body, or status 0 and why no answer came. <see cref="ToString"/> prints
/// neither the body (it may hold a credential) nor the token it was sent with.
/// </summary>
/// <param name="Status">The HTTP status, or 0 when no answer came.</param>
/// <param name="Body">The body (may be secret), or empty.</param>
/// <param name="MediaType">The body's media type, if any.</param>
/// <param name="Failure">Why no answer came (no secret in it), or <see langword="null"/>.</param>
/// <param name="Exception">The transport exception behind <paramref name="Failure"/>, or <see langword="null"/>.</param>
/// <param name="SentToken">The IMDSv2 token the request carried, or <see langword="null"/> (IMDSv1). Secret.</param>
internal sealed record ImdsAnswer(HttpStatusCode Status, string Body, string? MediaType, string? Failure, Exception? Exception, string? SentToken)
{
    /// <summary>Gets the token TTL a token PUT's answer granted (its TTL header), or <see langword="null"/>.</summary>
    public TimeSpan? GrantedTtl { get; init; }

    /// <summary>Describes the answer without its body or token.</summary>
    public override string ToString() => $"ImdsAnswer {{ Status = {(int)Status}, Failure = {Failure} }}";
}
