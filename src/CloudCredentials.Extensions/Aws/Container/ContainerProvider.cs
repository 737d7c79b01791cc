using System.Net;
using System.Text.Json;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Aws.Container;

/// <summary>
/// <c>aws/container</c>: GETs the container credential endpoint with the <c>Authorization</c> token (the token file is
/// re-read on every fetch). The answer's <c>AccessKeyId</c> and <c>SecretAccessKey</c> are required, <c>Token</c> and
/// <c>Expiration</c> optional (none = a static credential). The credential is marked for static stability. Caches
/// nothing itself.
/// </summary>
internal sealed class ContainerProvider : ICredentialProvider
{
    /// <summary>The field names of a container answer: AWS names, token and expiration optional.</summary>
    public static readonly CredentialFields Fields = CredentialFields.Aws with { TokenRequired = false, ExpirationRequired = false };

    private readonly ContainerSpec _spec;
    private readonly Func<HttpClient> _httpClient;
    private readonly ILogger _logger;

    /// <summary>Creates the provider.</summary>
    /// <param name="spec">Endpoint and authorization.</param>
    /// <param name="httpClient">Creates the HttpClient (named <see cref="CloudCredentialsHttpClients.CredentialsUri"/>) for each fetch.</param>
    /// <param name="logger">The logger.</param>
    public ContainerProvider(ContainerSpec spec, Func<HttpClient> httpClient, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(logger);
        _spec = spec;
        _httpClient = httpClient;
        _logger = logger;
    }

    /// <inheritdoc />
    public string ProviderName => ContainerSpec.ProviderName;

    /// <inheritdoc />
    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        Uri url = _spec.Endpoint;
        string display = SecretRedactor.DisplayUri(url);
        string? authorization = ReadAuthorization();
        string?[] secrets = [authorization, .. SecretRedactor.QueryValues(url)];

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        UserAgent.Apply(request);
        request.Headers.Accept.ParseAdd("application/json");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        (HttpStatusCode status, string body, string? mediaType) = await HttpExchange.SendAsync(
            _httpClient(),
            request,
            ProviderName,
            url,
            $"could not GET {display}",
            $". Check {_spec.Source} and that this runs in an ECS task or an EKS pod with a credential endpoint; elsewhere unset {_spec.Source}.",
            secrets,
            cancellationToken).ConfigureAwait(false);

        string answered = $"GET {display} answered {HttpFailure.Status(status)}";
        if (status != HttpStatusCode.OK)
        {
            ErrorBody error = ErrorBody.Parse(body, mediaType, secrets);
            string advice = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? $" Check the Authorization token ({AwsEnvironment.ContainerAuthorizationTokenFile} / {AwsEnvironment.ContainerAuthorizationToken})."
                : string.Empty;
            throw HttpFailure.Create(ProviderName, $"{answered}: {error.Summary}.{advice}", url, status, error.Code, error.RequestId);
        }

        using JsonDocument? json = CredentialJson.TryParseObject(body);
        if (json is null)
        {
            throw HttpFailure.Create(ProviderName, $"{answered} with a body that is not a JSON object ({ErrorBody.DescribeShape(body, mediaType)}).", url, status);
        }

        CloudCredential credential = CredentialResponse.Read(json.RootElement, Fields, ContainerSpec.CredentialType, ProviderName, url, status, answered);
        Log.CredentialReceived(
            _logger,
            display,
            CloudCredential.MaskAccessKeyId(credential.AccessKeyId),
            credential.Expiration is { } expiration ? CredentialJson.FormatUtc(expiration) : "never");
        return credential.WithStaticStability();
    }

    /// <summary>The Authorization value: the token file's content (read now), else the literal, else none.</summary>
    private string? ReadAuthorization()
    {
        if (_spec.AuthorizationTokenFile is not { } path)
        {
            return _spec.AuthorizationToken;
        }

        string variable = AwsEnvironment.ContainerAuthorizationTokenFile;
        string token;
        try
        {
            token = BoundedFileReader.ReadAllText(path, BoundedFileReader.TokenFileMaxBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new CredentialUnavailableException(
                ProviderName,
                $"could not read the authorization token file '{path}' ({variable}): {ex.GetType().Name}: {ex.Message} Check that the file exists and is readable by this process (EKS Pod Identity mounts it).",
                ex);
        }

        if (token.Length == 0)
        {
            throw new CredentialUnavailableException(ProviderName, $"the authorization token file '{path}' ({variable}) is empty. Check the file (EKS Pod Identity writes it).", null);
        }

        if (ContainerSpec.ContainsLineBreak(token))
        {
            throw new CredentialUnavailableException(
                ProviderName,
                $"the authorization token file '{path}' ({variable}) contains a carriage return or line feed, which is not allowed in an Authorization header: write the token alone, without a trailing newline.",
                null);
        }

        return token;
    }
}
