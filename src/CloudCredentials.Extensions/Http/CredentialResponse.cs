using System.Net;
using System.Text.Json;
using CloudCredentials.Internal;

namespace CloudCredentials.Http;

/// <summary>Reads the <c>AccessKeyId</c>, <c>AccessKeySecret</c>, <c>SecurityToken</c> and <c>Expiration</c> of a credential JSON object; all four are required.</summary>
internal static class CredentialResponse
{
    /// <summary>Reads the credential fields of <paramref name="obj"/>.</summary>
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
        string? requestId = null)
    {
        string? accessKeyId = CredentialJson.GetString(obj, "AccessKeyId");
        string? accessKeySecret = CredentialJson.GetString(obj, "AccessKeySecret");
        string? securityToken = CredentialJson.GetString(obj, "SecurityToken");
        string? expirationText = CredentialJson.GetString(obj, "Expiration");
        string request = requestId is null ? string.Empty : $" (RequestId {requestId})";

        var missing = new List<string>(4);
        if (accessKeyId is null)
        {
            missing.Add("AccessKeyId");
        }

        if (accessKeySecret is null)
        {
            missing.Add("AccessKeySecret");
        }

        if (securityToken is null)
        {
            missing.Add("SecurityToken");
        }

        if (expirationText is null)
        {
            missing.Add("Expiration");
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

        if (!CredentialJson.TryParseExpiration(expirationText, out DateTimeOffset expiration))
        {
            throw HttpFailure.Create(
                providerName,
                $"{what} but its Expiration '{SecretRedactor.RedactMessage(expirationText, [accessKeySecret, securityToken], 64)}' is not a UTC time like 2015-04-09T11:52:19Z{request}.",
                endpoint,
                status,
                requestId: requestId);
        }

        return CloudCredential.Create(type, providerName, accessKeyId, accessKeySecret, securityToken, expiration);
    }
}
