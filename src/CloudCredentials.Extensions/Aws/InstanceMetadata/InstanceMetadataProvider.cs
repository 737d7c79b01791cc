using System.Net;
using System.Text.Json;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Aws.InstanceMetadata;

/// <summary>
/// <c>aws/instance_metadata</c>: the IAM role credential of the EC2 instance. Each fetch discovers the role
/// (<c>GET /latest/meta-data/iam/security-credentials/</c>, first line) and gets its credential (the same path plus the
/// role name); <c>Code</c> must be <c>Success</c>. The credential is marked for static stability: the cache keeps serving
/// it when a refresh fails or IMDS answers an already-expired credential. Caches nothing itself.
/// </summary>
internal sealed class InstanceMetadataProvider : ICredentialProvider
{
    /// <summary>The role list path; a role's credential is at this path followed by the role name.</summary>
    public const string RolePath = "/latest/meta-data/iam/security-credentials/";

    private const string NotEc2Hint = $"Is this an EC2 instance with an instance profile? Outside EC2, set {AwsEnvironment.Ec2MetadataDisabled}=true.";

    private readonly Func<Ec2MetadataClient> _client;
    private readonly ILogger _logger;

    /// <summary>Creates the provider.</summary>
    /// <param name="client">Creates a metadata client (from <see cref="IHttpClientFactory"/>) for each fetch.</param>
    /// <param name="logger">The logger.</param>
    public InstanceMetadataProvider(Func<Ec2MetadataClient> client, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _logger = logger;
    }

    /// <inheritdoc />
    public string ProviderName => InstanceMetadataSpec.ProviderName;

    /// <inheritdoc />
    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        Ec2MetadataClient client = _client();
        var rolesUrl = new Uri(client.Endpoint, RolePath);
        ImdsAnswer roles = await client.GetAsync(RolePath, cancellationToken).ConfigureAwait(false);
        if (roles.Status == HttpStatusCode.NotFound)
        {
            throw Failure(roles, rolesUrl, $"GET {rolesUrl} answered {HttpFailure.Status(roles.Status)}: no IAM role (instance profile) is attached to this instance. Attach an instance profile, or use another credential source.");
        }

        EnsureOk(roles, rolesUrl, "the IAM role name");
        string? role = roles.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (string.IsNullOrEmpty(role))
        {
            throw Failure(roles, rolesUrl, $"GET {rolesUrl} answered {HttpFailure.Status(roles.Status)} with an empty role list: no IAM role (instance profile) is attached to this instance.");
        }

        string path = RolePath + Uri.EscapeDataString(role);
        var url = new Uri(client.Endpoint, path);
        ImdsAnswer answer = await client.GetAsync(path, cancellationToken).ConfigureAwait(false);
        EnsureOk(answer, url, $"the credential of role '{role}'");
        string answered = $"GET {url} answered {HttpFailure.Status(answer.Status)}";
        using JsonDocument? json = CredentialJson.TryParseObject(answer.Body);
        if (json is null)
        {
            throw Failure(answer, url, $"{answered} with a body that is not JSON ({ErrorBody.DescribeShape(answer.Body, answer.MediaType)}).");
        }

        JsonElement root = json.RootElement;
        string? code = CredentialJson.GetString(root, "Code");
        if (!string.Equals(code, "Success", StringComparison.OrdinalIgnoreCase))
        {
            IEnumerable<string?> secrets = [CredentialJson.GetString(root, "SecretAccessKey"), CredentialJson.GetString(root, "Token"), answer.SentToken];
            string? message = CredentialJson.GetString(root, "Message");
            string detail = message is null ? string.Empty : ": " + SecretRedactor.RedactMessage(message, secrets, 200);
            throw HttpFailure.Create(
                ProviderName,
                $"{answered} with Code {SecretRedactor.RedactMessage(code ?? "(missing)", secrets, 64)} instead of Success: IMDS could not issue credentials for role '{role}'{detail}. Check that the role trusts ec2.amazonaws.com.",
                url,
                answer.Status,
                code);
        }

        CloudCredential credential = CredentialResponse.Read(root, CredentialFields.Aws, InstanceMetadataSpec.CredentialType, ProviderName, url, answer.Status, answered);
        Log.CredentialReceived(_logger, SecretRedactor.DisplayUri(url), role, CloudCredential.MaskAccessKeyId(credential.AccessKeyId), CredentialJson.FormatUtc(credential.Expiration!.Value));
        return credential.WithStaticStability();
    }

    private static void EnsureOk(ImdsAnswer answer, Uri url, string what)
    {
        if (answer.Status == HttpStatusCode.OK)
        {
            return;
        }

        if (answer.Failure is not null)
        {
            throw Failure(answer, url, $"could not GET {url} for {what}: {answer.Failure}. {NotEc2Hint}");
        }

        ErrorBody error = ErrorBody.Parse(answer.Body, answer.MediaType, [answer.SentToken]);
        string how = answer.SentToken is null ? " without a token (IMDSv1)" : string.Empty;
        throw Failure(answer, url, $"GET {url} for {what} answered {HttpFailure.Status(answer.Status)}{how}: {error.Summary}.");
    }

    private static CredentialUnavailableException Failure(ImdsAnswer answer, Uri url, string reason) =>
        HttpFailure.Create(InstanceMetadataSpec.ProviderName, reason, url, answer.Status == 0 ? null : answer.Status, inner: answer.Exception);
}
