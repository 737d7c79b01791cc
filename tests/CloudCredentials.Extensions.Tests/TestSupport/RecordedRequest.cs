namespace CloudCredentials.Tests.TestSupport;

/// <summary>One request as the stub saw it (body read at send time).</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public Dictionary<string, string> Query() => ParseForm(Uri.Query.TrimStart('?'));

    public Dictionary<string, string> Form() => ParseForm(Body);

    public static Dictionary<string, string> ParseForm(string text) =>
        text.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(
                p => Uri.UnescapeDataString(p[0].Replace('+', ' ')),
                p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty,
                StringComparer.Ordinal);
}
