using System.Globalization;
using System.Net;
using System.Text.Json;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.Sts;

/// <summary>
/// STS client: AssumeRole (a POST signed with RPC signature V2 over the union of query and form body) and
/// AssumeRoleWithOIDC (an unsigned POST with the token in the form body). Every failure becomes a
/// <see cref="CredentialUnavailableException"/> naming the provider, endpoint, HTTP status, STS <c>Code</c> and
/// <c>RequestId</c>; no secret of the request or the response is ever quoted.
/// </summary>
internal sealed class StsClient
{
    /// <summary>The STS API version.</summary>
    public const string ApiVersion = "2015-04-01";

    private const string RamRoleArnProvider = CredentialProviderNames.RamRoleArn;
    private const string OidcRoleArnProvider = CredentialProviderNames.OidcRoleArn;

    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the client.</summary>
    /// <param name="httpClient">The HttpClient (named <see cref="CloudCredentialsHttpClients.Sts"/>, with the resilience pipeline).</param>
    /// <param name="timeProvider">The clock for the request <c>Timestamp</c>.</param>
    /// <param name="logger">The logger.</param>
    public StsClient(HttpClient httpClient, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Calls AssumeRole, signed with <paramref name="signingCredential"/>.</summary>
    /// <param name="endpoint">The STS endpoint, such as <c>https://sts.aliyuncs.com</c> (see <c>StsEndpointResolver</c>).</param>
    /// <param name="request">The role and session parameters.</param>
    /// <param name="signingCredential">An AccessKey pair, with a security token if it is itself a session credential.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A credential of type <c>ram_role_arn</c> and provider <c>ram_role_arn</c>.</returns>
    /// <exception cref="CredentialUnavailableException">STS could not be reached or refused the call.</exception>
    public async Task<CloudCredential> AssumeRoleAsync(
        Uri endpoint,
        AssumeRoleRequest request,
        CloudCredential signingCredential,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(signingCredential);

        if (string.IsNullOrEmpty(signingCredential.AccessKeyId) || string.IsNullOrEmpty(signingCredential.AccessKeySecret))
        {
            throw HttpFailure.Create(
                RamRoleArnProvider,
                $"the signing credential from {signingCredential.ProviderName} (type {signingCredential.Type}) has no AccessKey pair, so AssumeRole cannot be signed. Configure an AccessKeyId and AccessKeySecret (or a session credential) for the role to be assumed with.",
                endpoint);
        }

        var body = new List<KeyValuePair<string, string>>
        {
            new("RoleArn", request.RoleArn),
            new("RoleSessionName", request.RoleSessionName),
            new("DurationSeconds", request.DurationSeconds.ToString(CultureInfo.InvariantCulture)),
        };
        AddIfPresent(body, "Policy", request.Policy);
        AddIfPresent(body, "ExternalId", request.ExternalId);

        var signing = new AssumeRoleSigner(endpoint, body, signingCredential, _timeProvider);
        using var message = new HttpRequestMessage(HttpMethod.Post, signing.Sign())
        {
            Content = new FormUrlEncodedContent(body),
        };
        message.Options.Set(CredentialResiliencePipeline.BeforeRetryKey, m => m.RequestUri = signing.Sign());

        var context = new CallContext(
            "AssumeRole",
            RamRoleArnProvider,
            CredentialTypes.RamRoleArn,
            endpoint,
            [signingCredential.AccessKeySecret, signingCredential.SecurityToken],
            signing,
            request.RoleArn,
            signingCredential);
        return await SendAsync(message, context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls AssumeRoleWithOIDC (anonymous: no AccessKeyId, no signature).</summary>
    /// <param name="endpoint">The STS endpoint.</param>
    /// <param name="request">The role, OIDC provider, token and session parameters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A credential of type <c>oidc_role_arn</c> and provider <c>oidc_role_arn</c>.</returns>
    /// <exception cref="CredentialUnavailableException">STS could not be reached or refused the call.</exception>
    public async Task<CloudCredential> AssumeRoleWithOidcAsync(Uri endpoint, AssumeRoleWithOidcRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(request);

        var query = new List<KeyValuePair<string, string>>
        {
            new("Action", "AssumeRoleWithOIDC"),
            new("Format", "JSON"),
            new("Version", ApiVersion),
            new("Timestamp", CredentialJson.FormatUtc(_timeProvider.GetUtcNow())),
        };
        var body = new List<KeyValuePair<string, string>>
        {
            new("RoleArn", request.RoleArn),
            new("OIDCProviderArn", request.OidcProviderArn),
            new("OIDCToken", request.OidcToken),
            new("RoleSessionName", request.RoleSessionName),
            new("DurationSeconds", request.DurationSeconds.ToString(CultureInfo.InvariantCulture)),
        };
        AddIfPresent(body, "Policy", request.Policy);

        using var message = new HttpRequestMessage(HttpMethod.Post, BuildUri(endpoint, query))
        {
            Content = new FormUrlEncodedContent(body),
        };
        var context = new CallContext(
            "AssumeRoleWithOIDC",
            OidcRoleArnProvider,
            CredentialTypes.OidcRoleArn,
            endpoint,
            [request.OidcToken],
            Signing: null,
            request.RoleArn,
            SigningCredential: null);
        return await SendAsync(message, context, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CloudCredential> SendAsync(HttpRequestMessage message, CallContext call, CancellationToken cancellationToken)
    {
        UserAgent.Apply(message);
        string display = SecretRedactor.DisplayUri(call.Endpoint);
        (HttpStatusCode status, string body, string? mediaType) = await HttpExchange.SendAsync(
            _httpClient,
            message,
            call.ProviderName,
            call.Endpoint,
            $"could not call STS {call.Action} at {display}",
            ". Check the STS endpoint (StsEndpoint, StsRegionId, ALIBABA_CLOUD_STS_REGION) and that this host can reach it.",
            call.Secrets,
            cancellationToken).ConfigureAwait(false);

        if (status != HttpStatusCode.OK)
        {
            throw ErrorResponse(call, status, ErrorBody.Parse(body, mediaType, call.Secrets));
        }

        using JsonDocument? json = CredentialJson.TryParseObject(body);
        if (json is null)
        {
            throw HttpFailure.Create(
                call.ProviderName,
                $"STS {call.Action} at {display} answered {HttpFailure.Status(status)} with a body that is not JSON ({ErrorBody.DescribeShape(body, mediaType)}). Check that the STS endpoint is right and no proxy or captive portal answers instead.",
                call.Endpoint,
                status);
        }

        JsonElement root = json.RootElement;
        string? requestId = CredentialJson.GetString(root, "RequestId");
        if (!CredentialJson.TryGetProperty(root, "Credentials", out JsonElement credentials) || credentials.ValueKind != JsonValueKind.Object)
        {
            ErrorBody answer = ErrorBody.Parse(body, mediaType, call.Secrets);
            throw HttpFailure.Create(
                call.ProviderName,
                $"STS {call.Action} at {display} answered {HttpFailure.Status(status)} but the JSON has no Credentials object{answer.Describe()}.",
                call.Endpoint,
                status,
                requestId: answer.RequestId);
        }

        CloudCredential credential = CredentialResponse.Read(
            credentials,
            call.CredentialType,
            call.ProviderName,
            call.Endpoint,
            status,
            $"STS {call.Action} at {display} answered {HttpFailure.Status(status)}",
            requestId);
        Log.StsCredentialReceived(_logger, call.Action, display, CloudCredential.MaskAccessKeyId(credential.AccessKeyId), CredentialJson.FormatUtc(credential.Expiration!.Value), requestId);
        return credential;
    }

    private CredentialUnavailableException ErrorResponse(CallContext call, HttpStatusCode status, ErrorBody error)
    {
        string display = SecretRedactor.DisplayUri(call.Endpoint);
        Log.StsCallFailed(_logger, call.Action, display, (int)status, error.Code, error.RequestId);

        string prefix = $"STS {call.Action} at {display} answered {HttpFailure.Status(status)}";
        string reason = new StsErrorAdvice(call.RoleArn, call.Signing, call.SigningCredential).Explain(prefix, status, error);
        return HttpFailure.Create(call.ProviderName, reason.TrimEnd(), call.Endpoint, status, error.Code, error.RequestId);
    }

    private static void AddIfPresent(List<KeyValuePair<string, string>> parameters, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parameters.Add(new(name, value));
        }
    }

    /// <summary>Builds <paramref name="endpoint"/> with the query parameters, percent-encoded (RFC 3986).</summary>
    internal static Uri BuildUri(Uri endpoint, IEnumerable<KeyValuePair<string, string>> query)
    {
        var builder = new UriBuilder(endpoint)
        {
            Query = string.Join('&', query.Select(p => RpcSigner.PercentEncode(p.Key) + "=" + RpcSigner.PercentEncode(p.Value))),
        };
        return builder.Uri;
    }

    private sealed record CallContext(
        string Action,
        string ProviderName,
        string CredentialType,
        Uri Endpoint,
        string?[] Secrets,
        AssumeRoleSigner? Signing,
        string RoleArn,
        CloudCredential? SigningCredential);
}
