using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using CloudCredentials.Internal;

namespace CloudCredentials.Http;

/// <summary>
/// The one rule for quoting an upstream error answer (STS, ECS metadata, credentials URI, CloudSSO, OAuth) in an
/// exception, a log or a health report. Only the structured <c>Code</c>, <c>Message</c> and <c>RequestId</c> of a
/// JSON object or XML document are kept (also under the names <c>ErrorCode</c>/<c>error</c> and
/// <c>ErrorMessage</c>/<c>error_description</c>), and in them every value the library knows is replaced by
/// <c>***</c>: the secrets the request carried (signing secret, tokens) and the values of the body's own
/// secret-named fields (an <c>AccessKeySecret</c> next to the error, say). A body that is not JSON or XML, or has
/// none of those fields, is never quoted: only its content type and length are told.
/// </summary>
internal sealed class ErrorBody
{
    private static readonly string[] CodeNames = ["Code", "ErrorCode", "error"];
    private static readonly string[] MessageNames = ["Message", "ErrorMessage", "error_description"];
    private static readonly string[] RequestIdNames = ["RequestId"];

    private ErrorBody(string? code, string? message, string? requestId, string? serverStringToSign, string shape)
    {
        Code = code;
        Message = message;
        RequestId = requestId;
        ServerStringToSign = serverStringToSign;
        Shape = shape;
    }

    /// <summary>Gets the error code, secrets masked, or <see langword="null"/>.</summary>
    public string? Code { get; }

    /// <summary>Gets the error message, secrets masked (and any STS "server string to sign" omitted), or <see langword="null"/>.</summary>
    public string? Message { get; }

    /// <summary>Gets the request id, secrets masked, or <see langword="null"/>.</summary>
    public string? RequestId { get; }

    /// <summary>
    /// Gets the string to sign STS quoted in its message, or <see langword="null"/>. It contains the request's security
    /// token: it is only ever compared with the client's own, never quoted.
    /// </summary>
    public string? ServerStringToSign { get; }

    /// <summary>Gets what the body is, without its content: <c>an empty body</c>, <c>a text/html body of 49 characters</c>.</summary>
    public string Shape { get; }

    /// <summary>Gets whether the body had a code, message or request id.</summary>
    public bool HasFields => Code is not null || Message is not null || RequestId is not null;

    /// <summary>Reads an error body.</summary>
    /// <param name="body">The response body, or <see langword="null"/>.</param>
    /// <param name="mediaType">Its media type (<c>Content-Type</c> without parameters), if known.</param>
    /// <param name="knownSecrets">Values sent with the request (signing secret, security token, access or refresh token, IMDSv2 token), masked wherever the service echoes them.</param>
    /// <returns>The quotable parts of the body.</returns>
    public static ErrorBody Parse(string? body, string? mediaType, IEnumerable<string?>? knownSecrets)
    {
        string shape = DescribeShape(body, mediaType);
        var secrets = new List<string?>(knownSecrets ?? []);
        string? code = null, message = null, requestId = null;
        using JsonDocument? json = CredentialJson.TryParseObject(body);
        if (json is not null)
        {
            JsonElement root = json.RootElement;
            CollectSecretValues(root, secrets);
            code = First(CodeNames, n => CredentialJson.GetString(root, n));
            message = First(MessageNames, n => CredentialJson.GetString(root, n));
            requestId = First(RequestIdNames, n => CredentialJson.GetString(root, n));
        }
        else if (TryParseXml(body) is { } xml)
        {
            List<XElement> elements = [.. xml.DescendantsAndSelf()];
            secrets.AddRange(elements.Where(e => !e.HasElements && SecretRedactor.IsSecretName(e.Name.LocalName)).Select(e => e.Value));
            code = First(CodeNames, n => XmlValue(elements, n));
            message = First(MessageNames, n => XmlValue(elements, n));
            requestId = First(RequestIdNames, n => XmlValue(elements, n));
        }

        return new ErrorBody(
            Clean(code, secrets),
            Clean(message, secrets),
            Clean(requestId, secrets),
            SecretRedactor.ExtractServerStringToSign(message),
            shape);
    }

    /// <summary>Describes a body without quoting it: <c>an empty body</c>, or <c>a {media type} body of N characters</c>.</summary>
    /// <param name="body">The body.</param>
    /// <param name="mediaType">Its media type, if known.</param>
    /// <returns>The description.</returns>
    public static string DescribeShape(string? body, string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "an empty body";
        }

        string type = string.IsNullOrWhiteSpace(mediaType) ? string.Empty : mediaType.Trim() + " ";
        return string.Create(CultureInfo.InvariantCulture, $"a {type}body of {body.Length} characters");
    }

    /// <summary>
    /// Gets what may be quoted of the body: <c>code: message, request id R</c>; for a body without those fields, its
    /// <see cref="Shape"/>.
    /// </summary>
    public string Summary
    {
        get
        {
            if (!HasFields)
            {
                return Shape;
            }

            string text = (Code, Message) switch
            {
                (not null, not null) => $"{Code}: {Message}",
                (not null, null) => Code,
                (null, not null) => Message,
                _ => "no error code",
            };
            return RequestId is null ? text : $"{text}, request id {RequestId}";
        }
    }

    /// <summary>Formats <see cref="Summary"/> as <c> (code: message, request id R)</c>.</summary>
    /// <returns>The description, starting with a space.</returns>
    public string Describe() => $" ({Summary})";

    /// <summary>
    /// Creates the failure of a call answered with this error body:
    /// <c>{what}: {endpoint} answered {status} (code: message, request id R){advice}</c>.
    /// </summary>
    /// <param name="providerName">The provider that failed.</param>
    /// <param name="what">What failed, such as <c>failed to refresh the OAuth access token</c>.</param>
    /// <param name="endpoint">The endpoint that answered.</param>
    /// <param name="status">Its HTTP status.</param>
    /// <param name="advice">What to do next, such as <c>; log in again</c>.</param>
    /// <returns>The exception, with the masked code and request id.</returns>
    public CredentialUnavailableException ToFailure(string providerName, string what, Uri endpoint, HttpStatusCode status, string advice) =>
        HttpFailure.Create(
            providerName,
            $"{what}: {SecretRedactor.DisplayUri(endpoint)} answered {HttpFailure.Status(status)}{Describe()}{advice}",
            endpoint,
            status,
            Code,
            RequestId);

    private static string? First(string[] names, Func<string, string?> read)
    {
        foreach (string name in names)
        {
            if (read(name) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    private static string? Clean(string? value, List<string?> secrets)
    {
        string cleaned = SecretRedactor.RedactMessage(value, secrets);
        return cleaned.Length == 0 ? null : cleaned;
    }

    private static void CollectSecretValues(JsonElement element, List<string?> secrets)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && SecretRedactor.IsSecretName(property.Name))
                    {
                        secrets.Add(property.Value.GetString());
                    }
                    else
                    {
                        CollectSecretValues(property.Value, secrets);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    CollectSecretValues(item, secrets);
                }

                break;
        }
    }

    private static XElement? TryParseXml(string? body)
    {
        string? text = body?.Trim();
        if (string.IsNullOrEmpty(text) || text[0] != '<')
        {
            return null;
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = HttpClientSettings.MaxResponseBytes,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            XElement root = XElement.Load(reader);
            return string.Equals(root.Name.LocalName, "html", StringComparison.OrdinalIgnoreCase) ? null : root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static string? XmlValue(List<XElement> elements, string name)
    {
        XElement? element = elements.FirstOrDefault(e => !e.HasElements && string.Equals(e.Name.LocalName, name, StringComparison.OrdinalIgnoreCase));
        return string.IsNullOrWhiteSpace(element?.Value) ? null : element.Value;
    }
}
