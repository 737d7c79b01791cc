using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal;

/// <summary>Small helpers that write the emulator's answers.</summary>
internal static class Responses
{
    /// <summary>Plain output like the real services (<c>+</c>, <c>/</c> and <c>&amp;</c> not escaped as <c>\uXXXX</c>).</summary>
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The wire format of every <c>Expiration</c> and <c>LastUpdated</c>: <c>yyyy-MM-ddTHH:mm:ssZ</c>, UTC.</summary>
    public static string FormatTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static Task WriteTextAsync(HttpContext context, int status, string text, string contentType = "text/plain; charset=utf-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength = bytes.Length;
        return bytes.Length == 0 ? Task.CompletedTask : context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    public static Task WriteJsonAsync(HttpContext context, int status, JsonNode json) =>
        WriteTextAsync(context, status, json.ToJsonString(JsonOptions), "application/json; charset=utf-8");

    /// <summary>A 405 answer naming the allowed method, as the metadata service and STS front ends do.</summary>
    public static Task WriteMethodNotAllowedAsync(HttpContext context, string allowed)
    {
        context.Response.Headers.Allow = allowed;
        return WriteTextAsync(context, StatusCodes.Status405MethodNotAllowed, "405 Method Not Allowed");
    }

    /// <summary>The metadata service's plain 404 page.</summary>
    public static Task WriteNotFoundPageAsync(HttpContext context) =>
        WriteTextAsync(
            context,
            StatusCodes.Status404NotFound,
            "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n",
            "text/html");

    public static string NewRequestId() => Guid.NewGuid().ToString("D").ToUpperInvariant();
}
