using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.OAuth;

/// <summary>
/// Talks to the Alibaba Cloud OAuth service used by the CLI's <c>OAuth</c> mode: refreshes the access token
/// (<c>POST /v1/token</c>) and exchanges it for STS credentials (<c>POST /v1/exchange</c>).
/// </summary>
internal sealed class OAuthClient
{
    /// <summary>The provider name used in errors: <c>oauth</c>.</summary>
    public const string ProviderName = CredentialProviderNames.OAuth;

    /// <summary>The token lifetime assumed when the token response has no <c>expires_in</c>: 3600 s.</summary>
    public const long DefaultExpiresInSeconds = 3600;

    private const string TransportAdvice = "; check network access to it and retry";
    private const string LoginAdvice = "log in again with 'aliyun configure --mode OAuth'";

    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the client.</summary>
    public OAuthClient(HttpClient httpClient, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Refreshes the access token with a refresh token.</summary>
    /// <param name="baseUrl">The site's base URL, such as <c>https://oauth.aliyun.com</c>.</param>
    /// <param name="clientId">The site's CLI client id.</param>
    /// <param name="refreshToken">The refresh token. Never logged.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new tokens; the access token expires <c>expires_in</c> seconds (default 3600) from now.</returns>
    /// <exception cref="CredentialUnavailableException">The call failed or was refused (the message carries the OAuth <c>error</c> and <c>error_description</c>).</exception>
    public async Task<OAuthTokens> RefreshTokenAsync(Uri baseUrl, string clientId, string refreshToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);

        var endpoint = new Uri(baseUrl, "/v1/token");
        string display = SecretRedactor.DisplayUri(endpoint);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "refresh_token"),
                new("refresh_token", refreshToken),
                new("client_id", clientId),
                new("Timestamp", CredentialJson.FormatUtc(now)),
            ]),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        Log.OAuthTokenRefreshRequest(_logger, display);
        (HttpStatusCode status, string body, string? mediaType) = await HttpExchange.SendAsync(
            _httpClient, request, ProviderName, endpoint, $"request to {display} failed", TransportAdvice, [refreshToken], cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK)
        {
            ErrorBody error = ErrorBody.Parse(body, mediaType, [refreshToken]);
            Log.OAuthTokenRefreshFailed(_logger, display, (int)status, error.Code);
            throw error.ToFailure(ProviderName, "failed to refresh the OAuth access token", endpoint, status, "; " + LoginAdvice);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            string? accessToken = CredentialJson.GetString(root, "access_token");
            string? newRefreshToken = CredentialJson.GetString(root, "refresh_token");
            if (accessToken is null || newRefreshToken is null)
            {
                throw Invalid(endpoint, "lacks access_token or refresh_token");
            }

            long expiresIn = CredentialJson.GetInt64(root, "expires_in") is { } e && e > 0 ? e : DefaultExpiresInSeconds;
            return new OAuthTokens(accessToken, newRefreshToken, now.AddSeconds(expiresIn));
        }
        catch (JsonException)
        {
            throw Invalid(endpoint, "is not valid JSON");
        }
    }

    /// <summary>Exchanges an access token for STS credentials.</summary>
    /// <param name="baseUrl">The site's base URL.</param>
    /// <param name="accessToken">The OAuth access token, sent as a bearer token. Never logged.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>An <c>sts</c> credential from provider <c>oauth</c>.</returns>
    /// <exception cref="CredentialUnavailableException">The call failed, was refused, or answered an incomplete credential.</exception>
    public async Task<CloudCredential> ExchangeAsync(Uri baseUrl, string accessToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);

        var endpoint = new Uri(baseUrl, "/v1/exchange");
        string display = SecretRedactor.DisplayUri(endpoint);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent([]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        Log.OAuthExchangeRequest(_logger, display);
        (HttpStatusCode status, string body, string? mediaType) = await HttpExchange.SendAsync(
            _httpClient, request, ProviderName, endpoint, $"request to {display} failed", TransportAdvice, [accessToken], cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK)
        {
            throw ExchangeFailed(endpoint, status, ErrorBody.Parse(body, mediaType, [accessToken]));
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(endpoint, "is not a JSON object");
            }

            if (CredentialJson.GetString(root, "error") is not null)
            {
                throw ExchangeFailed(endpoint, status, ErrorBody.Parse(body, mediaType, [accessToken]));
            }

            // The service answers camelCase (accessKeyId, ...); the lookup also accepts PascalCase.
            string? accessKeyId = CredentialJson.GetString(root, "accessKeyId");
            string? accessKeySecret = CredentialJson.GetString(root, "accessKeySecret");
            string? securityToken = CredentialJson.GetString(root, "securityToken");
            if (accessKeyId is null || accessKeySecret is null || securityToken is null)
            {
                throw Invalid(endpoint, "lacks accessKeyId, accessKeySecret or securityToken");
            }

            string? expirationText = CredentialJson.GetString(root, "expiration");
            if (!CredentialJson.TryParseLenientExpiration(expirationText, out DateTimeOffset expiration))
            {
                throw Invalid(endpoint, expirationText is null
                    ? "has no expiration"
                    : $"has an expiration '{SecretRedactor.RedactMessage(expirationText, [accessKeySecret, securityToken], 64)}' that is not a UTC time");
            }

            return CloudCredential.Create(CredentialTypes.Sts, ProviderName, accessKeyId, accessKeySecret, securityToken, expiration);
        }
        catch (JsonException)
        {
            throw Invalid(endpoint, "is not valid JSON");
        }
    }

    private CredentialUnavailableException ExchangeFailed(Uri endpoint, HttpStatusCode status, ErrorBody error)
    {
        Log.OAuthExchangeFailed(_logger, SecretRedactor.DisplayUri(endpoint), (int)status, error.Code);
        string advice = string.Equals(error.Code, "expired_token", StringComparison.OrdinalIgnoreCase) || status == HttpStatusCode.Unauthorized
            ? "; the OAuth access token is expired or revoked: " + LoginAdvice
            : "; retry later, or " + LoginAdvice;
        return error.ToFailure(ProviderName, "get session token from OAuth failed", endpoint, status, advice);
    }

    private static CredentialUnavailableException Invalid(Uri endpoint, string problem) =>
        HttpFailure.Create(ProviderName, $"the response from {SecretRedactor.DisplayUri(endpoint)} {problem}; retry later", endpoint, HttpStatusCode.OK);
}
