using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Aws.Sts;

/// <summary>The parameters of one AssumeRole or AssumeRoleWithWebIdentity call.</summary>
/// <param name="RoleArn">The role.</param>
/// <param name="RoleSessionName">The session name (already defaulted and validated).</param>
/// <param name="DurationSeconds">Sent only when set.</param>
/// <param name="ExternalId">AssumeRole's <c>ExternalId</c>, if any.</param>
/// <param name="Policy">A session policy, if any.</param>
internal sealed record AwsRoleRequest(string RoleArn, string RoleSessionName, int? DurationSeconds, string? ExternalId, string? Policy);

/// <summary>
/// The AWS STS Query API client (version 2011-06-15): AssumeRole, POSTed as a form and signed with SigV4 (service
/// <c>sts</c>), and AssumeRoleWithWebIdentity, unsigned. Every failure becomes a <see cref="CredentialUnavailableException"/>
/// naming the provider, endpoint, HTTP status and the <c>ErrorResponse</c>'s <c>Code</c>, <c>Message</c> and
/// <c>RequestId</c>; no secret of the request or the response is ever quoted.
/// </summary>
internal sealed partial class AwsStsClient
{
    /// <summary>The STS API version.</summary>
    public const string ApiVersion = "2011-06-15";

    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public AwsStsClient(HttpClient httpClient, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Calls AssumeRole signed with <paramref name="source"/>.</summary>
    /// <param name="endpoint">The endpoint and signing region.</param>
    /// <param name="request">The role and session.</param>
    /// <param name="source">The source credential (with its session token when temporary).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A credential of type <c>assume_role</c>, provider <c>aws/assume_role</c>.</returns>
    public Task<CloudCredential> AssumeRoleAsync(AwsStsEndpoint endpoint, AwsRoleRequest request, CloudCredential source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(source);
        const string provider = AwsCredentialProviderNames.AssumeRole;
        if (string.IsNullOrEmpty(source.AccessKeyId) || string.IsNullOrEmpty(source.AccessKeySecret))
        {
            throw HttpFailure.Create(provider, $"the source credential from {source.ProviderName} has no access key pair, so AssumeRole cannot be signed", endpoint.Uri);
        }

        List<KeyValuePair<string, string>> form = Form("AssumeRole", request);
        AddIfPresent(form, "ExternalId", request.ExternalId);
        var call = new Call("AssumeRole", provider, AwsCredentialTypes.AssumeRole, endpoint, request.RoleArn, [source.AccessKeySecret, source.SecurityToken]);
        return SendAsync(call, form, (message, body) => Sign(message, endpoint, source, body), cancellationToken);
    }

    /// <summary>Calls AssumeRoleWithWebIdentity (anonymous: no signature).</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="request">The role and session.</param>
    /// <param name="token">The web identity token, as read from its file.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A credential of type <c>web_identity</c>, provider <c>aws/web_identity</c>.</returns>
    public Task<CloudCredential> AssumeRoleWithWebIdentityAsync(AwsStsEndpoint endpoint, AwsRoleRequest request, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(token);
        List<KeyValuePair<string, string>> form = Form("AssumeRoleWithWebIdentity", request);
        form.Add(new("WebIdentityToken", token));
        var call = new Call("AssumeRoleWithWebIdentity", AwsCredentialProviderNames.WebIdentity, AwsCredentialTypes.WebIdentity, endpoint, request.RoleArn, [token]);
        return SendAsync(call, form, sign: null, cancellationToken);
    }

    private static List<KeyValuePair<string, string>> Form(string action, AwsRoleRequest request)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("Action", action),
            new("Version", ApiVersion),
            new("RoleArn", request.RoleArn),
            new("RoleSessionName", request.RoleSessionName),
        };
        if (request.DurationSeconds is { } seconds)
        {
            form.Add(new("DurationSeconds", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        AddIfPresent(form, "Policy", request.Policy);
        return form;
    }

    private async Task<CloudCredential> SendAsync(Call call, List<KeyValuePair<string, string>> form, Action<HttpRequestMessage, byte[]>? sign, CancellationToken cancellationToken)
    {
        byte[] body = Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => UrlEncoding.PercentEncode(p.Key) + "=" + UrlEncoding.PercentEncode(p.Value))));
        using var message = new HttpRequestMessage(HttpMethod.Post, call.Endpoint.Uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        UserAgent.Apply(message);
        if (sign is not null)
        {
            sign(message, body);
            message.Options.Set(CredentialResiliencePipeline.BeforeRetryKey, m => sign(m, body)); // a fresh x-amz-date per attempt
        }

        string display = SecretRedactor.DisplayUri(call.Endpoint.Uri);
        (HttpStatusCode status, string answer, string? mediaType) = await HttpExchange.SendAsync(
            _httpClient,
            message,
            call.Provider,
            call.Endpoint.Uri,
            $"could not call AWS STS {call.Action} at {display}",
            $". Check the STS endpoint (StsEndpoint, {AwsEnvironment.EndpointUrlSts}, {AwsEnvironment.EndpointUrl}, Region, {AwsEnvironment.Region}) and that this host can reach it.",
            call.Secrets,
            cancellationToken).ConfigureAwait(false);

        string prefix = $"AWS STS {call.Action} for role {call.RoleArn} at {display} answered {HttpFailure.Status(status)}";
        if (status != HttpStatusCode.OK)
        {
            ErrorBody error = ErrorBody.Parse(answer, mediaType, call.Secrets);
            Log.CallFailed(_logger, call.Action, display, (int)status, error.Code, error.RequestId);
            throw HttpFailure.Create(call.Provider, $"{prefix}{error.Describe()}{Advice(error.Code, call.Action)}", call.Endpoint.Uri, status, error.Code, error.RequestId);
        }

        var (id, secret, token, expiration, requestId, problem) = StsXml.ReadCredentials(answer, call.Action);
        if (problem is not null)
        {
            throw HttpFailure.Create(
                call.Provider,
                $"{prefix} with {problem} ({ErrorBody.DescribeShape(answer, mediaType)}). Check that the STS endpoint is right and no proxy answers instead.",
                call.Endpoint.Uri,
                status,
                requestId: requestId);
        }

        Log.CredentialReceived(_logger, call.Action, display, CloudCredential.MaskAccessKeyId(id), CredentialJson.FormatUtc(expiration), requestId);
        return CloudCredential.Create(call.CredentialType, call.Provider, id, secret, token, expiration);
    }

    /// <summary>What to do about a known STS error code.</summary>
    private static string Advice(string? code, string action) => code switch
    {
        "AccessDenied" => action == "AssumeRole"
            ? ". Check that the role's trust policy allows the source identity and that it may call sts:AssumeRole (and the ExternalId, if the role requires one)."
            : ". Check that the role's trust policy allows sts:AssumeRoleWithWebIdentity for this identity provider.",
        "ExpiredToken" or "ExpiredTokenException" => ". The source credential (its session token) has expired: refresh or replace it.",
        "InvalidClientTokenId" or "SignatureDoesNotMatch" => ". The source access key is not valid for AWS: check the key id and secret.",
        "Throttling" or "ThrottlingException" or "RequestLimitExceeded" => ". STS is throttling requests; the credential cache retries with back-off.",
        "InvalidIdentityToken" or "IDPRejectedClaim" or "ExpiredTokenFromWebIdentity" => ". The web identity token was rejected: check the token file and the role's identity provider.",
        "RegionDisabledException" => ". STS is not activated in this region: use another Region or activate it in IAM.",
        _ => ".",
    };

    private static void AddIfPresent(List<KeyValuePair<string, string>> form, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            form.Add(new(name, value));
        }
    }

    private sealed record Call(string Action, string Provider, string CredentialType, AwsStsEndpoint Endpoint, string RoleArn, string?[] Secrets);
}
