using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace CloudCredentials.Emulator.Internal.Signing;

/// <summary>
/// A request as it arrived, in the parts a signature covers: method, raw path and raw query as on the wire (before any
/// decoding by the server), every header line (repeated names kept in order) and the exact body bytes.
/// Tests build one directly from a signing vector.
/// </summary>
internal sealed class CapturedRequest
{
    public CapturedRequest(string method, string rawPath, string rawQuery, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
    {
        Method = method;
        RawPath = rawPath;
        RawQuery = rawQuery;
        Headers = headers;
        Body = body;
        BodySha256 = SigningText.HexSha256(body);
    }

    public string Method { get; }

    /// <summary>The path exactly as sent, still percent-encoded; never empty (<c>/</c> at least).</summary>
    public string RawPath { get; }

    /// <summary>The query exactly as sent, without <c>?</c>; empty when there is none.</summary>
    public string RawQuery { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public byte[] Body { get; }

    /// <summary>The hex SHA-256 of <see cref="Body"/>.</summary>
    public string BodySha256 { get; }

    /// <summary>Reads the body (leaving it rewound for later readers, e.g. the form parser) and the raw request target.</summary>
    public static async Task<CapturedRequest> ReadAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        request.Body.Position = 0;

        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.PathBase + request.Path + request.QueryString);
        int question = target.IndexOf('?', StringComparison.Ordinal);
        string rawPath = question < 0 ? target : target[..question];
        string rawQuery = question < 0 ? string.Empty : target[(question + 1)..];

        var headers = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, StringValues> header in request.Headers)
        {
            foreach (string? value in header.Value)
            {
                headers.Add(new KeyValuePair<string, string>(header.Key, value ?? string.Empty));
            }
        }

        return new CapturedRequest(request.Method, rawPath.Length == 0 ? "/" : rawPath, rawQuery, headers, buffer.ToArray());
    }

    /// <summary>The first value of header <paramref name="name"/> (case-insensitive), or <see langword="null"/>.</summary>
    public string? Header(string name)
    {
        foreach (KeyValuePair<string, string> header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>Every value of header <paramref name="name"/> (case-insensitive), in arrival order.</summary>
    public IEnumerable<string> HeaderValues(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(static h => h.Value);
}
