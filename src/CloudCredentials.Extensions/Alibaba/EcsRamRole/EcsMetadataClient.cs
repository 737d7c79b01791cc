using System.Net;
using System.Text.Json;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.EcsRamRole;

/// <summary>
/// ECS instance metadata (IMDS) client for RAM role credentials: discovers the attached role and gets its session
/// credential. Every GET goes through an <see cref="ImdsSession"/>, which handles the IMDSv2 token (cached in the
/// shared <see cref="ImdsTokenCache"/>) and the fallback to IMDSv1.
/// </summary>
internal sealed class EcsMetadataClient
{
    /// <summary>The RAM role list path; a role's credentials are at this path followed by the role name.</summary>
    public const string RolePath = "/latest/meta-data/ram/security-credentials/";

    private const string ProviderName = CredentialProviderNames.EcsRamRole;

    private readonly HttpClient _httpClient;
    private readonly ImdsTokenCache _tokens;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private ImdsSession? _session;

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

    // The session keeps no state of its own (tokens live in the shared cache), so it is simply made on first use.
    private ImdsSession Session => _session ??= new ImdsSession(_httpClient, _tokens, _timeProvider, _logger);

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
        MetadataResponse response = await Session.GetAsync(baseAddress, url, disableV1, cancellationToken).ConfigureAwait(false);
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
        MetadataResponse response = await Session.GetAsync(baseAddress, url, disableV1, cancellationToken).ConfigureAwait(false);
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
                $"GET {url} answered {HttpFailure.Status(response.Status)} with a body that is not JSON ({ErrorBody.DescribeShape(response.Body, response.MediaType)}).",
                url,
                response.Status);
        }

        JsonElement root = json.RootElement;
        string? code = CredentialJson.GetString(root, "Code");
        if (!string.Equals(code, "Success", StringComparison.Ordinal))
        {
            ErrorBody error = ErrorBody.Parse(response.Body, response.MediaType, [response.SentToken]);
            throw HttpFailure.Create(
                ProviderName,
                $"GET {url} answered {HttpFailure.Status(response.Status)} with Code {error.Code ?? "(missing)"} instead of Success: the metadata service could not issue credentials for role '{roleName}'{(error.Message is null ? string.Empty : ": " + error.Message)}.",
                url,
                response.Status,
                error.Code);
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

        ErrorBody error = ErrorBody.Parse(response.Body, response.MediaType, [response.SentToken]);
        throw HttpFailure.Create(
            ProviderName,
            $"GET {url} for {what} answered {HttpFailure.Status(response.Status)}{response.Note}: {error.Summary}.",
            url,
            response.Status,
            error.Code,
            error.RequestId);
    }
}
