using System.Net;
using System.Text.Json;
using CloudCredentials.Internal;

namespace CloudCredentials.Http;

/// <summary>
/// Reads the four credential fields of a credential JSON object: by default the Alibaba names (<c>AccessKeyId</c>,
/// <c>AccessKeySecret</c>, <c>SecurityToken</c>, <c>Expiration</c>), all required; with <see cref="CredentialFields.Aws"/>
/// the AWS names (<c>SecretAccessKey</c>, <c>Token</c>).
/// </summary>
internal static class CredentialResponse
{
    /// <summary>Reads the credential fields of <paramref name="obj"/>, all four required, under the Alibaba names.</summary>
    /// <param name="obj">The JSON object holding the four fields.</param>
    /// <param name="type">The credential type to produce.</param>
    /// <param name="providerName">The provider name to produce and to report in errors.</param>
    /// <param name="endpoint">The endpoint that answered, for errors.</param>
    /// <param name="status">The HTTP status that came with it, for errors.</param>
    /// <param name="what">How errors start, such as <c>GET http://… answered 200 (OK)</c>.</param>
    /// <param name="requestId">The upstream request id, if any.</param>
    /// <exception cref="CredentialUnavailableException">A field is missing or the expiration cannot be parsed.</exception>
    public static CloudCredential Read(
        JsonElement obj,
        string type,
        string providerName,
        Uri endpoint,
        HttpStatusCode status,
        string what,
        string? requestId = null) => Read(obj, CredentialFields.Alibaba, type, providerName, endpoint, status, what, requestId);

    /// <summary>Reads the credential fields of <paramref name="obj"/> under the names of <paramref name="fields"/>.</summary>
    /// <param name="obj">The JSON object holding the fields.</param>
    /// <param name="fields">The field names, and whether the token and the expiration are required.</param>
    /// <param name="type">The credential type to produce.</param>
    /// <param name="providerName">The provider name to produce and to report in errors.</param>
    /// <param name="endpoint">The endpoint that answered, for errors.</param>
    /// <param name="status">The HTTP status that came with it, for errors.</param>
    /// <param name="what">How errors start, such as <c>GET http://… answered 200 (OK)</c>.</param>
    /// <param name="requestId">The upstream request id, if any.</param>
    /// <returns>The credential; without an expiration (when optional and absent) it does not expire.</returns>
    /// <exception cref="CredentialUnavailableException">A required field is missing or the expiration cannot be parsed.</exception>
    public static CloudCredential Read(
        JsonElement obj,
        CredentialFields fields,
        string type,
        string providerName,
        Uri endpoint,
        HttpStatusCode status,
        string what,
        string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        string? accessKeyId = CredentialJson.GetString(obj, fields.AccessKeyId);
        string? accessKeySecret = CredentialJson.GetString(obj, fields.Secret);
        string? securityToken = CredentialJson.GetString(obj, fields.Token);
        string? expirationText = CredentialJson.GetString(obj, fields.Expiration);
        string request = requestId is null ? string.Empty : $" (RequestId {requestId})";

        var missing = new List<string>(4);
        if (accessKeyId is null)
        {
            missing.Add(fields.AccessKeyId);
        }

        if (accessKeySecret is null)
        {
            missing.Add(fields.Secret);
        }

        if (securityToken is null && fields.TokenRequired)
        {
            missing.Add(fields.Token);
        }

        if (expirationText is null && fields.ExpirationRequired)
        {
            missing.Add(fields.Expiration);
        }

        if (missing.Count > 0)
        {
            throw HttpFailure.Create(
                providerName,
                $"{what} but the credential lacks {string.Join(", ", missing)}{request}.",
                endpoint,
                status,
                requestId: requestId);
        }

        DateTimeOffset? expiration = null;
        if (expirationText is not null)
        {
            if (!CredentialJson.TryParseExpiration(expirationText, out DateTimeOffset parsed))
            {
                throw HttpFailure.Create(
                    providerName,
                    $"{what} but its {fields.Expiration} '{SecretRedactor.RedactMessage(expirationText, [accessKeySecret, securityToken], 64)}' is not a UTC time like 2015-04-09T11:52:19Z{request}.",
                    endpoint,
                    status,
                    requestId: requestId);
            }

            expiration = parsed;
        }

        return CloudCredential.Create(type, providerName, accessKeyId, accessKeySecret, securityToken, expiration);
    }
}

/// <summary>The JSON names of a credential answer's fields, and which of them are required.</summary>
/// <param name="AccessKeyId">The access key id's name.</param>
/// <param name="Secret">The secret's name.</param>
/// <param name="Token">The session token's name.</param>
/// <param name="Expiration">The expiration's name.</param>
/// <param name="TokenRequired">Whether the session token is required.</param>
/// <param name="ExpirationRequired">Whether the expiration is required (when not, a credential without one does not expire).</param>
internal sealed record CredentialFields(string AccessKeyId, string Secret, string Token, string Expiration, bool TokenRequired, bool ExpirationRequired)
{
    /// <summary>Gets the Alibaba names; all four required.</summary>
    public static CredentialFields Alibaba { get; } = new("AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration", true, true);

    /// <summary>Gets the AWS names of IMDS and container answers (<c>SecretAccessKey</c>, <c>Token</c>); all four required.</summary>
    public static CredentialFields Aws { get; } = new("AccessKeyId", "SecretAccessKey", "Token", "Expiration", true, true);
}
