using System.Globalization;
using System.Net.Http.Headers;

namespace CloudCredentials.Signing;

/// <summary>Reads the signed parts of an <see cref="HttpRequestMessage"/> as it will be serialised (SIGNING.md §3.1 step 5).</summary>
internal static class RequestParts
{
    /// <summary>Gets the absolute request URI, or throws a clear error when the request has none.</summary>
    public static Uri Uri(HttpRequestMessage request) => request.RequestUri is { IsAbsoluteUri: true } uri
        ? uri
        : throw new InvalidOperationException("The request to sign has no absolute RequestUri; set HttpClient.BaseAddress or use an absolute URI.");

    /// <summary>The <c>host</c> header value: <c>Headers.Host</c> if set, else the URI's host plus a non-default port.</summary>
    public static string Host(HttpRequestMessage request, Uri uri)
    {
        if (request.Headers.Host is { Length: > 0 } host)
        {
            return host;
        }

        // As SocketsHttpHandler writes it: an IPv6 literal in brackets (without a zone id), the port when not the default.
        string name = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Split('%')[0] + "]" : uri.IdnHost;
        return uri.IsDefaultPort ? name : string.Create(CultureInfo.InvariantCulture, $"{name}:{uri.Port}");
    }

    /// <summary>Upper-case method name (HttpMethod keeps a custom method's case).</summary>
    public static string Method(HttpRequestMessage request)
    {
        string method = request.Method.Method;
        foreach (char c in method)
        {
            if (char.IsAsciiLetterLower(c))
            {
                return method.ToUpperInvariant();
            }
        }

        return method;
    }

    /// <summary>
    /// Adds the request's and its content's headers with exactly one value (a multi-valued header may be serialised
    /// differently from any joined form, SIGNING.md §3.5), except <c>Host</c>, then the given host.
    /// </summary>
    public static void AddHeaders(ref CanonicalHeaders headers, HttpRequestMessage request, string host)
    {
        Add(ref headers, request.Headers);
        if (request.Content is { } content)
        {
            Add(ref headers, content.Headers);
        }

        headers.Add("host", host);
    }

    /// <summary>Replaces a header's value, without .NET validation or reformatting.</summary>
    public static void Set(HttpHeaders headers, string name, string value)
    {
        headers.Remove(name);
        headers.TryAddWithoutValidation(name, value);
    }

    /// <summary>Gets a header's single value, or <see langword="null"/>.</summary>
    public static string? Get(HttpRequestMessage request, string name)
        => request.Headers.NonValidated.TryGetValues(name, out HeaderStringValues values) && values.Count == 1 ? values.ToString() : null;

    private static void Add(ref CanonicalHeaders target, HttpHeaders source)
    {
        foreach (KeyValuePair<string, HeaderStringValues> header in source.NonValidated)
        {
            if (header.Value.Count == 1 && !header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                target.Add(header.Key, header.Value.ToString());
            }
        }
    }

    /// <summary>
    /// Replaces the wire query by its canonical form when they differ (SIGNING.md §3.5: the server sees exactly what was
    /// signed; a <c>+</c> is sent as <c>%2B</c> and can never be read as a space).
    /// </summary>
    public static void SendCanonicalQuery(HttpRequestMessage request, Uri uri, string query)
    {
        if (query.Length <= 1)
        {
            return; // '' or '?'
        }

        var canonical = new TextBuffer(query.Length + 16);
        try
        {
            CanonicalQuery.Write(ref canonical, query);
            if (!canonical.Span.SequenceEqual(uri.Query.AsSpan(Math.Min(1, uri.Query.Length))))
            {
                request.RequestUri = new Uri(string.Concat(uri.GetLeftPart(UriPartial.Path), "?", canonical.Span));
            }
        }
        finally
        {
            canonical.Dispose();
        }
    }
}
