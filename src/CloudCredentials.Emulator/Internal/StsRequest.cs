using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CloudCredentials.Emulator.Internal;

/// <summary>The parameters of one STS call: query and form body, kept apart and as their union (the set the signature covers).</summary>
internal sealed class StsRequest
{
    private StsRequest(string method, string? contentType, List<KeyValuePair<string, string>> query, List<KeyValuePair<string, string>> form)
    {
        Method = method;
        ContentType = contentType;
        Query = query;
        Form = form;
        All = [.. query, .. form];
    }

    public string Method { get; }

    public string? ContentType { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Form { get; }

    /// <summary>Query then form, every value (a repeated name appears more than once).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> All { get; }

    /// <summary>True when the form body could not be parsed.</summary>
    public bool MalformedBody { get; private init; }

    public static async Task<StsRequest> ReadAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        var query = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, StringValues> pair in request.Query)
        {
            Flatten(pair, query);
        }

        var form = new List<KeyValuePair<string, string>>();
        bool malformed = false;
        if (request.HasFormContentType)
        {
            try
            {
                IFormCollection collection = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
                foreach (KeyValuePair<string, StringValues> pair in collection)
                {
                    Flatten(pair, form);
                }
            }
            catch (InvalidDataException)
            {
                malformed = true;
            }
        }

        return new StsRequest(request.Method, request.ContentType, query, form) { MalformedBody = malformed };
    }

    /// <summary>The first value of <paramref name="name"/> (query before form), or <see langword="null"/>.</summary>
    public string? Get(string name)
    {
        foreach (KeyValuePair<string, string> pair in All)
        {
            if (string.Equals(pair.Key, name, StringComparison.Ordinal))
            {
                return pair.Value;
            }
        }

        return null;
    }

    /// <summary>The record for the stats; <paramref name="action"/> overrides the <c>Action</c> parameter (V3 calls name it in a header).</summary>
    public StsRequestRecord ToRecord(string? action = null) => new(
        Method,
        action ?? Get("Action"),
        ContentType,
        ToDictionary(All),
        ToDictionary(Query),
        ToDictionary(Form));

    private static void Flatten(KeyValuePair<string, StringValues> pair, List<KeyValuePair<string, string>> into)
    {
        foreach (string? value in pair.Value)
        {
            into.Add(new KeyValuePair<string, string>(pair.Key, value ?? string.Empty));
        }
    }

    private static Dictionary<string, string> ToDictionary(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in pairs)
        {
            result.TryAdd(pair.Key, pair.Value);
        }

        return result;
    }
}
