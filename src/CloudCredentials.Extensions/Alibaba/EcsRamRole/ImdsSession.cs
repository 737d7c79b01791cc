using System.Net;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.EcsRamRole;

/// <summary>
/// The IMDSv2 side of the ECS metadata service: gets, reuses and drops the session token of an endpoint. It comes from
/// <c>PUT /latest/api/token</c>, is reused through the shared <see cref="ImdsTokenCache"/>, is sent as
/// <c>X-aliyun-ecs-metadata-token</c>, and is dropped when a GET is answered 401 or 403. This type also decides when
/// to fall back to IMDSv1 (a GET without a token): unless IMDSv1 is disabled, after a failed token PUT or a failed
/// tokenised GET. It keeps no state of its own; <see cref="EcsMetadataClient"/> uses it for every GET.
/// </summary>
internal sealed class ImdsSession
{
    /// <summary>The token path.</summary>
    public const string TokenPath = "/latest/api/token";

    /// <summary>The header carrying the requested token TTL in seconds.</summary>
    public const string TokenTtlHeader = "X-aliyun-ecs-metadata-token-ttl-seconds";

    /// <summary>The header carrying the token on GETs.</summary>
    public const string TokenHeader = "X-aliyun-ecs-metadata-token";

    private const string ProviderName = CredentialProviderNames.EcsRamRole;
    private const string DisableHint = "the IMDSv1 fallback is disabled (DisableIMDSv1 / ALIBABA_CLOUD_IMDSV1_DISABLED)";

    private readonly HttpClient _httpClient;
    private readonly ImdsTokenCache _tokens;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the session.</summary>
    /// <param name="httpClient">The HttpClient (named <see cref="CloudCredentialsHttpClients.Metadata"/>: 1 s timeouts, no proxy).</param>
    /// <param name="tokens">The process-wide token cache.</param>
    /// <param name="timeProvider">The clock that decides when a token is renewed.</param>
    /// <param name="logger">The logger.</param>
    public ImdsSession(HttpClient httpClient, ImdsTokenCache tokens, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClient = httpClient;
        _tokens = tokens;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// GETs <paramref name="url"/> with the endpoint's IMDSv2 token: a token answered 401 or 403 is dropped, and after
    /// a 401 the GET is retried once with a new token. Unless <paramref name="disableV1"/>, a failed token request or
    /// a failed tokenised GET falls back to one GET without a token.
    /// </summary>
    /// <param name="baseAddress">The metadata service, such as <c>http://100.100.100.200</c>.</param>
    /// <param name="url">The metadata path to GET, on <paramref name="baseAddress"/>.</param>
    /// <param name="disableV1">Whether the fallback to IMDSv1 (no token) is disabled.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer, whatever its status; its <see cref="MetadataResponse.Note"/> says how it was obtained when that matters.</returns>
    /// <exception cref="CredentialUnavailableException">The service could not be reached, or no token could be had while IMDSv1 is disabled.</exception>
    public async Task<MetadataResponse> GetAsync(Uri baseAddress, Uri url, bool disableV1, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(url);
        string? v2Failure = null;
        ImdsToken? token = await GetTokenAsync(baseAddress, disableV1, cancellationToken).ConfigureAwait(false);
        if (token is not null)
        {
            MetadataResponse response = await SendGetAsync(url, token, cancellationToken).ConfigureAwait(false);
            if (response.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                _tokens.Invalidate(baseAddress, token);
                Log.ImdsTokenRejected(_logger, SecretRedactor.DisplayUri(baseAddress), (int)response.Status);
                if (response.Status == HttpStatusCode.Unauthorized)
                {
                    token = await GetTokenAsync(baseAddress, disableV1, cancellationToken).ConfigureAwait(false);
                    if (token is null)
                    {
                        v2Failure = "the IMDSv2 token was rejected (401) and no new one could be fetched";
                    }
                    else
                    {
                        response = await SendGetAsync(url, token, cancellationToken).ConfigureAwait(false);
                        if (response.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                        {
                            _tokens.Invalidate(baseAddress, token);
                        }
                    }
                }
            }

            if (token is not null)
            {
                if (response.Status == HttpStatusCode.OK)
                {
                    return response;
                }

                string failure = response.Failure ?? $"HTTP {HttpFailure.Status(response.Status)}";
                if (disableV1)
                {
                    if (response.Failure is not null)
                    {
                        throw Unreachable(url, response, $" with an IMDSv2 token; {DisableHint}");
                    }

                    return response with { Note = $" (with an IMDSv2 token; {DisableHint})" };
                }

                Log.ImdsTokenisedGetFailedFallingBack(_logger, SecretRedactor.DisplayUri(url), failure);
                v2Failure = failure;
            }
        }

        MetadataResponse v1 = await SendGetAsync(url, token: null, cancellationToken).ConfigureAwait(false);
        string note = v2Failure is null ? string.Empty : $" (without a token, after the IMDSv2 attempt failed: {v2Failure})";
        if (v1.Failure is not null)
        {
            throw Unreachable(url, v1, note);
        }

        return v1 with { Note = note };
    }

    private static CredentialUnavailableException Unreachable(Uri url, MetadataResponse response, string note) =>
        HttpFailure.Create(
            ProviderName,
            $"could not GET {url}{note}: {response.Failure}. Is this an ECS instance with a RAM role? Outside ECS, remove ecs_ram_role or set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true.",
            url,
            inner: response.Exception);

    private async Task<MetadataResponse> SendGetAsync(Uri url, ImdsToken? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        UserAgent.Apply(request);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation(TokenHeader, token.Value);
        }

        try
        {
            using HttpResponseMessage response = await _httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new MetadataResponse(response.StatusCode, body, null, null)
            {
                MediaType = response.Content.Headers.ContentType?.MediaType,
                SentToken = token?.Value,
            };
        }
        catch (Exception ex) when (HttpFailure.IsTransport(ex) && !cancellationToken.IsCancellationRequested)
        {
            return new MetadataResponse(0, string.Empty, HttpFailure.DescribeTransport(ex, token is null ? null : [token.Value]), ex);
        }
    }

    /// <summary>
    /// Tells whether the metadata service answers at all, with one token PUT through this session's client (the
    /// default chain gives it a short client without retries). Any HTTP answer counts: a token is kept for the GETs that
    /// follow, and a refusal is remembered like that of any token request. A cached token answers without a request.
    /// </summary>
    /// <param name="baseAddress">The metadata service.</param>
    /// <param name="disableV1">Whether the fallback to IMDSv1 is disabled (a refusal is then not remembered).</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns><see langword="null"/> when the service answered; otherwise the transport failure (no secret in it).</returns>
    public async Task<MetadataResponse?> ProbeAsync(Uri baseAddress, bool disableV1, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (_tokens.TryGet(baseAddress, _timeProvider.GetUtcNow()) is not null)
        {
            return null;
        }

        TokenAttempt attempt = await PutTokenAsync(baseAddress, disableV1, probe: true, cancellationToken).ConfigureAwait(false);
        return attempt.Transport is { } transport ? new MetadataResponse(0, string.Empty, attempt.Failure, transport) : null;
    }

    private async Task<ImdsToken?> GetTokenAsync(Uri baseAddress, bool disableV1, CancellationToken cancellationToken)
    {
        ImdsToken? token = _tokens.TryGet(baseAddress, _timeProvider.GetUtcNow());
        if (token is not null)
        {
            return token;
        }

        var url = new Uri(baseAddress, TokenPath);
        if (!disableV1 && _tokens.TryGetFailure(baseAddress, _timeProvider.GetUtcNow()) is { } retryAt)
        {
            Log.ImdsTokenSkipped(_logger, SecretRedactor.DisplayUri(url), CredentialJson.FormatUtc(retryAt));
            return null;
        }

        TokenAttempt attempt = await PutTokenAsync(baseAddress, disableV1, probe: false, cancellationToken).ConfigureAwait(false);
        if (attempt.Token is not null || attempt.Failure is null)
        {
            // A token, or another caller's request failed while this one waited: use IMDSv1 like it did.
            return attempt.Token;
        }

        if (disableV1)
        {
            throw HttpFailure.Create(
                ProviderName,
                $"could not get an IMDSv2 session token from PUT {url}: {attempt.Failure}, and {DisableHint}. Check that this is an ECS instance whose metadata service supports IMDSv2, or allow IMDSv1.",
                url,
                attempt.Status,
                inner: attempt.Transport);
        }

        Log.ImdsTokenFailedFallingBack(_logger, SecretRedactor.DisplayUri(url), attempt.Failure);
        return null;
    }

    /// <summary>
    /// One token PUT, one caller per endpoint at a time. Unless <paramref name="probe"/>, a failure another caller
    /// remembered while this one waited is not repeated (the result then has neither token nor failure).
    /// </summary>
    private async Task<TokenAttempt> PutTokenAsync(Uri baseAddress, bool disableV1, bool probe, CancellationToken cancellationToken)
    {
        var url = new Uri(baseAddress, TokenPath);
        SemaphoreSlim gate = _tokens.GateFor(baseAddress);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ImdsToken? token = _tokens.TryGet(baseAddress, _timeProvider.GetUtcNow());
            if (token is not null)
            {
                return new TokenAttempt(token, null, null, null);
            }

            if (!probe && !disableV1 && _tokens.TryGetFailure(baseAddress, _timeProvider.GetUtcNow()) is not null)
            {
                return new TokenAttempt(null, null, null, null);
            }

            string failure;
            Exception? transport = null;
            HttpStatusCode? status = null;
            DateTimeOffset requestedAt = _timeProvider.GetUtcNow();
            using var request = new HttpRequestMessage(HttpMethod.Put, url);
            UserAgent.Apply(request);
            request.Headers.TryAddWithoutValidation(TokenTtlHeader, ((int)ImdsTokenCache.TokenTtl.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                using HttpResponseMessage response = await _httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
                string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                status = response.StatusCode;
                if (response.StatusCode == HttpStatusCode.OK && !string.IsNullOrWhiteSpace(body))
                {
                    token = new ImdsToken(body.Trim(), ImdsTokenCache.ReuseUntil(requestedAt));
                    _tokens.Set(baseAddress, token);
                    Log.ImdsTokenFetched(_logger, SecretRedactor.DisplayUri(url), CredentialJson.FormatUtc(token.ReuseUntil));
                    return new TokenAttempt(token, null, status, null);
                }

                failure = response.StatusCode == HttpStatusCode.OK
                    ? "PUT answered 200 (OK) with an empty token"
                    : $"PUT answered {HttpFailure.Status(response.StatusCode)}";
            }
            catch (Exception ex) when (HttpFailure.IsTransport(ex) && !cancellationToken.IsCancellationRequested)
            {
                failure = HttpFailure.DescribeTransport(ex);
                transport = ex;
            }

            if (!disableV1)
            {
                // Remembered before the gate opens, so a caller waiting on it does not repeat the failing PUT.
                _tokens.SetFailure(baseAddress, _timeProvider.GetUtcNow() + ImdsTokenCache.FailureBackoff);
            }

            return new TokenAttempt(null, failure, status, transport);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>What a token PUT got: a token, or why not (with the status, or the transport exception).</summary>
    private sealed record TokenAttempt(ImdsToken? Token, string? Failure, HttpStatusCode? Status, Exception? Transport);
}
