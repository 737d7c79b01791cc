using System.Text.Json;

namespace CloudCredentials.Http;

/// <summary>
/// The code, message and request id of a CloudSSO or OAuth error body, read from the fields those services use
/// (<c>Code</c>/<c>ErrorCode</c>/<c>error</c>, <c>Message</c>/<c>ErrorMessage</c>/<c>error_description</c>,
/// <c>RequestId</c>), case-insensitively. Nothing else of the body is ever quoted, and any secret the request
/// carried is masked out of what is kept.
/// </summary>
internal sealed class SessionErrorBody
{
    private const int MaxFieldLength = 300;

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
        if (string.IsNullOrWhiteSpace(body))
        {
            return new SessionErrorBody(null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new SessionErrorBody(null, null, null);
            }

            string? code = CredentialJson.GetString(root, "Code") ?? CredentialJson.GetString(root, "ErrorCode") ?? CredentialJson.GetString(root, "error");
            string? message = CredentialJson.GetString(root, "Message") ?? CredentialJson.GetString(root, "ErrorMessage") ?? CredentialJson.GetString(root, "error_description");
            string? requestId = CredentialJson.GetString(root, "RequestId");
            return new SessionErrorBody(Clean(code, secrets), Clean(message, secrets), Clean(requestId, secrets));
        }
        catch (JsonException)
        {
            return new SessionErrorBody(null, null, null);
        }
    }

    /// <summary>Formats <c> (code: message, request id R)</c>, or an empty string when the body said nothing usable.</summary>
    public string Describe()
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
        if (value is null)
        {
            return null;
        }

        foreach (string? secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                value = value.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return value.Length <= MaxFieldLength ? value : string.Concat(value.AsSpan(0, MaxFieldLength), "...");
    }
}
