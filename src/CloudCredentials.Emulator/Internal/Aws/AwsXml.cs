using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal.Aws;

/// <summary>AWS Query API XML (AWS_CREDENTIALS.md §6.5): <c>&lt;Op&gt;Response/&lt;Op&gt;Result</c> + <c>ResponseMetadata/RequestId</c>, and <c>ErrorResponse</c>.</summary>
internal static class AwsXml
{
    public static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";

    /// <summary>Writes <c>&lt;{action}Response&gt;&lt;{action}Result&gt;{members}&lt;/…Result&gt;&lt;ResponseMetadata&gt;…</c> with status 200.</summary>
    public static Task WriteResultAsync(HttpContext context, string action, params object[] members)
    {
        var document = new XElement(
            Sts + (action + "Response"),
            new XElement(Sts + (action + "Result"), members),
            new XElement(Sts + "ResponseMetadata", new XElement(Sts + "RequestId", NewRequestId())));
        return WriteAsync(context, 200, document);
    }

    /// <summary>An element in the STS namespace.</summary>
    public static XElement E(string name, params object?[] content) => new(Sts + name, content);

    public static Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteAsync(context, status, new XElement(
            Sts + "ErrorResponse",
            new XElement(Sts + "Error", E("Type", status >= 500 ? "Receiver" : "Sender"), E("Code", code), E("Message", message)),
            E("RequestId", NewRequestId())));

    public static string NewRequestId() => Guid.NewGuid().ToString("D");

    private static Task WriteAsync(HttpContext context, int status, XElement document)
    {
        context.Response.Headers["x-amzn-RequestId"] = NewRequestId();
        return Responses.WriteTextAsync(context, status, document.ToString(SaveOptions.None), "text/xml");
    }
}
