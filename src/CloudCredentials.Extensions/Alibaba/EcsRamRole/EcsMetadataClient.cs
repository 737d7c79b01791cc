using System.Net;
using System.Text.Json;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.EcsRamRole;

/// <summary>
/// ECS instance metadata (IMDS) client for RAM role credentials. Uses IMDSv2: a session token from
/// <c>PUT /latest/api/token</c>, cached in the shared <see cref="ImdsTokenCache"/> and sent as
/// <c>X-aliyun-ecs-metadata-token</c>. A GET answered 401 drops the token and is retried once with a new one.
/// Unless IMDSv1 is disabled, a failed token PUT or a failed tokenised GET falls back to a GET without a token.
/// </summary>
internal sealed class EcsMetadataClient
{
    /// <summary>The token path.</summary>
    public const string TokenPath = "/latest/api/token";

    /// <summary>The RAM role list path; a role's credentials are at this path followed by the role name.</summary>
    public const string RolePath = "/latest/meta-data/ram/security-credentials/";

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

    /// <summary>Creates the client.</summary>
    /// <param name="httpClient">The HttpClient (named <see cref="CloudCredentialsHttpClients.Metadata"/>: 1 s timeouts, no proxy).</param>
    /// <param name="tokens">The process-wide token cache.</param>
    /// <param name="timeProvider">The clock that decides when a token is renewed.</param>
    /// <param name="logger">The logger.</param>
    public EcsMetadataClient(HttpClient httpClient, ImdsTokenCache tokens, TimeProvider timeProvider, ILogger logger)
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

    /// <summary>Discovers the name of the RAM role attached to the instance.</summary>
    /// <param name="baseAddress">The metadata service, such as <c>http://100.100.100.200</c>.</param>
    /// <param name="disableV1">Whether the fallback to IMDSv1 (no token) is disabled.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The role name, trimmed.</returns>
    /// <exception cref="CredentialUnavailableException">The service could not be reached, refused, or lists no role.</exception>
    public async Task<string> GetRoleNameAsync(Uri baseAddress, bool disableV1, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var url = new Uri(baseAddress, RolePath);
        MetadataResponse response = await GetAsync(baseAddress, url, disableV1, cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound)
        {
            throw HttpFailure.Create(
                ProviderName,
                $"GET {url} answered {HttpFailure.Status(response.Status)}{response.Note}: no RAM role is attached to this ECS instance. Attach a RAM role to the instance, or set RoleName (ALIBABA_CLOUD_ECS_METADATA).",
                url,
                response.Status);
        }

        EnsureOk(response, url, "the RAM role name");
        string? roleName = response.Body
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault();
        if (string.IsNullOrEmpty(roleName))
        {
            throw HttpFailure.Create(
                ProviderName,
                $"GET {url} answered {HttpFailure.Status(response.Status)} with an empty role list: no RAM role is attached to this ECS instance. Attach a RAM role to the instance, or set RoleName (ALIBABA_CLOUD_ECS_METADATA).",
                url,
                response.Status);
        }

        return roleName;
    }

    /// <summary>Gets the session credential of a RAM role attached to the instance.</summary>
    /// <param name="baseAddress">The metadata service.</param>
    /// <param name="roleName">The role name.</param>
    /// <param name="disableV1">Whether the fallback to IMDSv1 (no token) is disabled.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A credential of type and provider <c>ecs_ram_role</c>.</returns>
    /// <exception cref="CredentialUnavailableException">The service could not be reached, refused, or answered without a credential.</exception>
    public async Task<CloudCredential> GetCredentialAsync(Uri baseAddress, string roleName, bool disableV1, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(roleName);
        roleName = roleName.Trim();
        var url = new Uri(baseAddress, RolePath + Uri.EscapeDataString(roleName));
        MetadataResponse response = await GetAsync(baseAddress, url, disableV1, cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound)
        {
            throw HttpFailure.Create(
                ProviderName,
                $"GET {url} answered {HttpFailure.Status(response.Status)}{response.Note}: the RAM role '{roleName}' is not attached to this ECS instance. Check RoleName (ALIBABA_CLOUD_ECS_METADATA), or leave it empty to discover the attached role.",
                url,
                response.Status);
        }

        EnsureOk(response, url, "the role's credentials");

        using JsonDocument? json = CredentialJson.TryParseObject(response.Body);
        if (json is null)
        {
            throw HttpFailure.Create(
                ProviderName,
                $"GET {url} answered {HttpFailure.Status(response.Status)} with a body that is not JSON: {SecretRedactor.RedactBody(response.Body, maxLength: 120)}.",
                url,
                response.Status);
        }

        JsonElement root = json.RootElement;
        string? code = CredentialJson.GetString(root, "Code");
        if (!string.Equals(code, "Success", StringComparison.Ordinal))
        {
            throw HttpFailure.Create(
                ProviderName,
                $"GET {url} answered {HttpFailure.Status(response.Status)} with Code {code ?? "(missing)"} instead of Success: the metadata service could not issue credentials for role '{roleName}'. Body: {SecretRedactor.RedactBody(response.Body)}.",
                url,
                response.Status,
                code);
        }

        CloudCredential credential = CredentialResponse.Read(
            root,
            CredentialTypes.EcsRamRole,
            ProviderName,
            url,
            response.Status,
            $"GET {url} answered {HttpFailure.Status(response.Status)}");
        Log.EcsCredentialReceived(_logger, SecretRedactor.DisplayUri(url), roleName, CloudCredential.MaskAccessKeyId(credential.AccessKeyId), CredentialJson.FormatUtc(credential.Expiration!.Value));
        return credential;
    }

    private static void EnsureOk(MetadataResponse response, Uri url, string what)
    {
        if (response.Status == HttpStatusCode.OK)
        {
            return;
        }

        throw HttpFailure.Create(
            ProviderName,
            $"GET {url} for {what} answered {HttpFailure.Status(response.Status)}{response.Note}: {SecretRedactor.RedactBody(response.Body, maxLength: 160)}.",
            url,
            response.Status);
    }

    private async Task<MetadataResponse> GetAsync(Uri baseAddress, Uri url, bool disableV1, CancellationToken cancellationToken)
    {
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
            return new MetadataResponse(response.StatusCode, body, null, null);
        }
        catch (Exception ex) when (HttpFailure.IsTransport(ex) && !cancellationToken.IsCancellationRequested)
        {
            return new MetadataResponse(0, string.Empty, HttpFailure.DescribeTransport(ex, token is null ? null : [token.Value]), ex);
        }
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

        string failure;
        Exception? inner = null;
        HttpStatusCode? status = null;
        SemaphoreSlim gate = _tokens.GateFor(baseAddress);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            token = _tokens.TryGet(baseAddress, _timeProvider.GetUtcNow());
            if (token is not null)
            {
                return token;
            }

            if (!disableV1 && _tokens.TryGetFailure(baseAddress, _timeProvider.GetUtcNow()) is not null)
            {
                // Another caller's request failed while this one waited: use IMDSv1 like it did.
                return null;
            }

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
                    token = new ImdsToken(body.Trim(), requestedAt + ImdsTokenCache.TokenTtl - ImdsTokenCache.RenewBefore);
                    _tokens.Set(baseAddress, token);
                    Log.ImdsTokenFetched(_logger, SecretRedactor.DisplayUri(url), CredentialJson.FormatUtc(token.ReuseUntil));
                    return token;
                }

                failure = response.StatusCode == HttpStatusCode.OK
                    ? "PUT answered 200 (OK) with an empty token"
                    : $"PUT answered {HttpFailure.Status(response.StatusCode)}";
            }
            catch (Exception ex) when (HttpFailure.IsTransport(ex) && !cancellationToken.IsCancellationRequested)
            {
                failure = HttpFailure.DescribeTransport(ex);
                inner = ex;
            }

            if (!disableV1)
            {
                // Remembered before the gate opens, so a caller waiting on it does not repeat the failing PUT.
                _tokens.SetFailure(baseAddress, _timeProvider.GetUtcNow() + ImdsTokenCache.FailureBackoff);
            }
        }
        finally
        {
            gate.Release();
        }

        if (disableV1)
        {
            throw HttpFailure.Create(
                ProviderName,
                $"could not get an IMDSv2 session token from PUT {url}: {failure}, and {DisableHint}. Check that this is an ECS instance whose metadata service supports IMDSv2, or allow IMDSv1.",
                url,
                status,
                inner: inner);
        }

        Log.ImdsTokenFailedFallingBack(_logger, SecretRedactor.DisplayUri(url), failure);
        return null;
    }

    private sealed record MetadataResponse(HttpStatusCode Status, string Body, string? Failure, Exception? Exception)
    {
        public string Note { get; init; } = string.Empty;

        // The body may hold a credential: never printed.
        public override string ToString() => $"MetadataResponse {{ Status = {(int)Status}, Failure = {Failure} }}";
    }
}
