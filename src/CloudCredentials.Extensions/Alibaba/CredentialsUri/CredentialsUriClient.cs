using System.Net;
using System.Text.Json;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.CredentialsUri;

/// <summary>
/// Credentials URI client: GET the URI; the status must be 200, <c>Code</c> must be <c>Success</c> when present, and
/// <c>AccessKeyId</c>, <c>AccessKeySecret</c>, <c>SecurityToken</c> and <c>Expiration</c> are required.
/// The URI's query string is never quoted (it may carry a token).
/// </summary>
internal sealed class CredentialsUriClient
{
    private const string ProviderName = CredentialProviderNames.CredentialsUri;

    private readonly HttpClient _httpClient;
    private readonly ILogger _logger;

    /// <summary>Creates the client.</summary>
    /// <param name="httpClient">The HttpClient (named <see cref="CloudCredentialsHttpClients.CredentialsUri"/>).</param>
    /// <param name="logger">The logger.</param>
    public CredentialsUriClient(HttpClient httpClient, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClient = httpClient;
        _logger = logger;
    }

    /// <summary>Gets a credential from the URI.</summary>
    /// <param name="uri">The credentials URI (already validated with <c>CredentialsUriProvider.ValidateUri</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A credential of type <c>credentials_uri</c> and provider <c>credential_uri</c>.</returns>
    /// <exception cref="CredentialUnavailableException">The URI could not be reached or did not answer with a credential.</exception>
    public async Task<CloudCredential> GetCredentialAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        string display = SecretRedactor.DisplayUri(uri);
        string[] querySecrets = SecretRedactor.QueryValues(uri);

        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        UserAgent.Apply(request);
        (HttpStatusCode status, string body, string? mediaType) = await HttpExchange.SendAsync(
            _httpClient,
            request,
            ProviderName,
            uri,
            $"could not GET {display}",
            ". Check the credentials URI (CredentialsUri / ALIBABA_CLOUD_CREDENTIALS_URI) and that the service is running.",
            querySecrets,
            cancellationToken).ConfigureAwait(false);

        string prefix = $"GET {display} answered {HttpFailure.Status(status)}";
        if (status != HttpStatusCode.OK)
        {
            ErrorBody error = ErrorBody.Parse(body, mediaType, querySecrets);
            string codeText = error.Code is null ? string.Empty : $", Code {error.Code}";
            throw HttpFailure.Create(
                ProviderName,
                $"{prefix}{codeText}{error.Describe()}. Check the credentials URI and the service behind it.",
                uri,
                status,
                error.Code,
                error.RequestId);
        }

        using JsonDocument? json = CredentialJson.TryParseObject(body);
        if (json is null)
        {
            throw HttpFailure.Create(
                ProviderName,
                $"{prefix} with a body that is not a JSON object ({ErrorBody.DescribeShape(body, mediaType)}).",
                uri,
                status);
        }

        string? code = CredentialJson.GetString(json.RootElement, "Code");
        if (code is not null && !string.Equals(code, "Success", StringComparison.Ordinal))
        {
            ErrorBody error = ErrorBody.Parse(body, mediaType, querySecrets);
            throw HttpFailure.Create(
                ProviderName,
                $"{prefix} with Code {error.Code} instead of Success{(error.Message is null ? string.Empty : ": " + error.Message)}.",
                uri,
                status,
                error.Code,
                error.RequestId);
        }

        CloudCredential credential = CredentialResponse.Read(
            json.RootElement,
            CredentialTypes.CredentialsUri,
            ProviderName,
            uri,
            status,
            prefix);
        Log.CredentialsUriCredentialReceived(_logger, display, CloudCredential.MaskAccessKeyId(credential.AccessKeyId), CredentialJson.FormatUtc(credential.Expiration!.Value));
        return credential;
    }
}
