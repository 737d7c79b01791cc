using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.CloudSso;

/// <summary>
/// Calls the CloudSSO portal's <c>POST /cloud-credentials</c> to trade an SSO access token (from
/// <c>aliyun sso login</c>) for STS credentials of one account and access configuration.
/// </summary>
internal sealed class CloudSsoClient
{
    /// <summary>The provider name used in errors: <c>cloud_sso</c>.</summary>
    public const string ProviderName = CredentialProviderNames.CloudSso;

    private readonly HttpClient _httpClient;
    private readonly ILogger _logger;

    /// <summary>Creates the client.</summary>
    public CloudSsoClient(HttpClient httpClient, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClient = httpClient;
        _logger = logger;
    }

    /// <summary>Builds the credentials endpoint: <c>&lt;scheme&gt;://&lt;host[:port] of the sign-in URL&gt;/cloud-credentials</c>.</summary>
    /// <exception cref="CredentialUnavailableException">The sign-in URL is not an absolute http(s) URL.</exception>
    public static Uri GetEndpoint(string signInUrl)
    {
        if (!Uri.TryCreate(signInUrl, UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new CredentialUnavailableException(ProviderName, $"cloud_sso_sign_in_url '{signInUrl.Split('?')[0]}' is not an absolute http(s) URL; run 'aliyun configure --mode CloudSSO' again", null);
        }

        return new Uri($"{uri.Scheme}://{uri.Authority}/cloud-credentials", UriKind.Absolute);
    }

    /// <summary>Fetches STS credentials.</summary>
    /// <param name="signInUrl">The profile's <c>cloud_sso_sign_in_url</c>; only its scheme, host and port are used.</param>
    /// <param name="accountId">The profile's <c>cloud_sso_account_id</c>.</param>
    /// <param name="accessConfigurationId">The profile's <c>cloud_sso_access_config</c>.</param>
    /// <param name="accessToken">The SSO access token, sent as a bearer token. Never logged.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>An <c>sts</c> credential from provider <c>cloud_sso</c>.</returns>
    /// <exception cref="CredentialUnavailableException">The call failed, was refused, or answered an incomplete credential.</exception>
    public async Task<CloudCredential> GetCredentialAsync(
        string signInUrl, string accountId, string accessConfigurationId, string accessToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(signInUrl);
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(accessConfigurationId);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);

        Uri endpoint = GetEndpoint(signInUrl);
        string display = SecretRedactor.DisplayUri(endpoint);

        string body = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["AccountId"] = accountId,
            ["AccessConfigurationId"] = accessConfigurationId,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        Log.CloudSsoRequest(_logger, display, accountId);
        (HttpStatusCode status, string responseBody, string? mediaType) = await HttpExchange.SendAsync(
            _httpClient, request, ProviderName, endpoint, $"request to {display} failed", "; check network access to it and retry", [accessToken], cancellationToken).ConfigureAwait(false);

        if (status != HttpStatusCode.OK)
        {
            ErrorBody error = ErrorBody.Parse(responseBody, mediaType, [accessToken]);
            Log.CloudSsoFailed(_logger, display, (int)status, error.Code);
            string advice = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? "; the SSO access token may be revoked or lack access: re-login with the CLI (aliyun sso login)"
                : "; check the profile's account and access configuration, then retry";
            throw error.ToFailure(ProviderName, "get session token from CloudSSO failed", endpoint, status, advice);
        }

        CloudCredential credential = ParseCredential(responseBody, endpoint);
        Log.CloudSsoSucceeded(_logger, display, credential.Expiration!.Value);
        return credential;
    }

    private static CloudCredential ParseCredential(string body, Uri endpoint)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(endpoint, "is not a JSON object");
            }

            // The service wraps the credential in "CloudCredential"; older endpoints answered it at the top level.
            JsonElement source = CredentialJson.TryGetProperty(root, "CloudCredential", out JsonElement inner) && inner.ValueKind == JsonValueKind.Object
                ? inner
                : root;

            string? accessKeyId = CredentialJson.GetString(source, "AccessKeyId");
            string? accessKeySecret = CredentialJson.GetString(source, "AccessKeySecret");
            string? securityToken = CredentialJson.GetString(source, "SecurityToken");
            if (accessKeyId is null || accessKeySecret is null || securityToken is null)
            {
                throw Invalid(endpoint, "lacks AccessKeyId, AccessKeySecret or SecurityToken");
            }

            DateTimeOffset expiration;
            string? expirationText = CredentialJson.GetString(source, "Expiration");
            if (expirationText is not null)
            {
                if (!CredentialJson.TryParseLenientExpiration(expirationText, out expiration))
                {
                    throw Invalid(endpoint, $"has an Expiration '{SecretRedactor.RedactMessage(expirationText, [accessKeySecret, securityToken], 64)}' that is not a UTC time");
                }
            }
            else if (CredentialJson.GetInt64(source, "ExpirationInt64") is not { } seconds || !CredentialJson.TryFromUnixSeconds(seconds, out expiration))
            {
                throw Invalid(endpoint, "has no Expiration");
            }

            return CloudCredential.Create(CredentialTypes.Sts, ProviderName, accessKeyId, accessKeySecret, securityToken, expiration);
        }
        catch (JsonException)
        {
            throw Invalid(endpoint, "is not valid JSON");
        }
    }

    private static CredentialUnavailableException Invalid(Uri endpoint, string problem) =>
        HttpFailure.Create(
            ProviderName,
            $"the response from {SecretRedactor.DisplayUri(endpoint)} {problem}; retry later or contact the CloudSSO administrator",
            endpoint,
            HttpStatusCode.OK);
}
