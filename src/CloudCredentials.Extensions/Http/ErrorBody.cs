using System.Net;
using System.Text.Json;
using CloudCredentials.Internal;

namespace CloudCredentials.Http;

/// <summary>
/// The code, message and request id of a CloudSSO or OAuth error body, read from the fields those services use
/// (<c>Code</c>/<c>ErrorCode</c>/<c>error</c>, <c>Message</c>/<c>ErrorMessage</c>/<c>error_description</c>,
/// <c>RequestId</c>), case-insensitively. Nothing else of the body is ever quoted, and what is kept is made quotable
/// with <see cref="SecretRedactor.RedactMessage"/> (secret values the request carried are masked).
/// </summary>
internal sealed class SessionErrorBody
{
    private SessionErrorBody(string? code, string? message, string? requestId)
    {
        Code = code;
        Message = message;
        RequestId = requestId;
    }

    public string? Code { get; }

    public string? Message { get; }

    public string? RequestId { get; }

    /// <summary>Reads an error body; a body that is not a JSON object yields empty fields.</summary>
    /// <param name="body">The response body.</param>
    /// <param name="secrets">Values sent with the request (tokens); masked if the service echoes them.</param>
    public static SessionErrorBody Parse(string? body, params string?[] secrets)
    {
        using JsonDocument? document = CredentialJson.TryParseObject(body);
        if (document is null)
        {
            return new SessionErrorBody(null, null, null);
        }

        JsonElement root = document.RootElement;
        string? code = CredentialJson.GetString(root, "Code") ?? CredentialJson.GetString(root, "ErrorCode") ?? CredentialJson.GetString(root, "error");
        string? message = CredentialJson.GetString(root, "Message") ?? CredentialJson.GetString(root, "ErrorMessage") ?? CredentialJson.GetString(root, "error_description");
        string? requestId = CredentialJson.GetString(root, "RequestId");
        return new SessionErrorBody(Clean(code, secrets), Clean(message, secrets), Clean(requestId, secrets));
    }

    /// <summary>
    /// Creates the failure of a call answered with this error body:
    /// <c>{what}: {endpoint} answered {status} (code: message, request id R){advice}</c>.
    /// </summary>
    /// <param name="providerName">The provider that failed.</param>
    /// <param name="what">What failed, such as <c>failed to refresh the OAuth access token</c>.</param>
    /// <param name="endpoint">The endpoint that answered.</param>
    /// <param name="status">Its HTTP status.</param>
    /// <param name="advice">What to do next, such as <c>; log in again</c>.</param>
    public CredentialUnavailableException ToFailure(string providerName, string what, Uri endpoint, HttpStatusCode status, string advice) =>
        HttpFailure.Create(
            providerName,
            $"{what}: {SecretRedactor.DisplayUri(endpoint)} answered {HttpFailure.Status(status)}{Describe()}{advice}",
            endpoint,
            status,
            Code,
            RequestId);

    /// <summary>Formats <c> (code: message, request id R)</c>, or an empty string when the body said nothing usable.</summary>
    private string Describe()
    {
        if (Code is null && Message is null && RequestId is null)
        {
            return string.Empty;
        }

        string text = (Code, Message) switch
        {
            (not null, not null) => $"{Code}: {Message}",
            (not null, null) => Code,
            (null, not null) => Message,
            _ => "no error code",
        };
        return RequestId is null ? $" ({text})" : $" ({text}, request id {RequestId})";
    }

    private static string? Clean(string? value, string?[] secrets)
    {
        string cleaned = SecretRedactor.RedactMessage(value, secrets);
        return cleaned.Length == 0 ? null : cleaned;
    }
}
