using System.Xml;
using System.Xml.Linq;
using CloudCredentials.Http;
using CloudCredentials.Internal;

namespace CloudCredentials.Aws.Sts;

/// <summary>
/// Reads the credentials of a successful STS Query API answer: <c>&lt;{Action}Response&gt;&lt;{Action}Result&gt;&lt;Credentials&gt;</c>
/// with <c>AccessKeyId</c>, <c>SecretAccessKey</c>, <c>SessionToken</c> and <c>Expiration</c> (namespaces ignored).
/// </summary>
internal static class StsXml
{
    /// <summary>The four credential fields, or the reason they could not be read (never quoting the body).</summary>
    public static (string? Id, string? Secret, string? Token, DateTimeOffset Expiration, string? RequestId, string? Problem) ReadCredentials(string body, string action)
    {
        XElement? root = TryParse(body);
        if (root is null)
        {
            return (null, null, null, default, null, "a body that is not XML");
        }

        string? requestId = Descendant(root, "RequestId")?.Value;
        XElement? credentials = Descendant(root, action + "Result") is { } result ? Child(result, "Credentials") : null;
        if (credentials is null)
        {
            return (null, null, null, default, requestId, $"XML without {action}Result/Credentials");
        }

        string? id = Value(credentials, "AccessKeyId");
        string? secret = Value(credentials, "SecretAccessKey");
        string? token = Value(credentials, "SessionToken");
        string? expiration = Value(credentials, "Expiration");
        string[] missing = [.. new[] { ("AccessKeyId", id), ("SecretAccessKey", secret), ("SessionToken", token), ("Expiration", expiration) }
            .Where(f => f.Item2 is null).Select(f => f.Item1)];
        if (missing.Length > 0)
        {
            return (null, null, null, default, requestId, $"Credentials without {string.Join(", ", missing)}");
        }

        return CredentialJson.TryParseExpiration(expiration, out DateTimeOffset expires)
            ? (id, secret, token, expires, requestId, null)
            : (null, null, null, default, requestId, "an Expiration that is not an ISO 8601 UTC time");
    }

    private static XElement? TryParse(string body)
    {
        string text = body.Trim();
        if (text.Length == 0 || text[0] != '<')
        {
            return null;
        }

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = HttpClientSettings.MaxResponseBytes };
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            return XElement.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static XElement? Descendant(XElement root, string name) => root.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == name);

    private static XElement? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Value(XElement parent, string name) => Child(parent, name)?.Value is { Length: > 0 } v ? v.Trim() : null;
}
