namespace CloudCredentials.Signing;

/// <summary>How the canonical URI is made from the wire path.</summary>
internal enum PathRule
{
    /// <summary>ACS3 and S3: the wire path encoded exactly once (escapes decoded and re-encoded, <c>/</c> kept), not normalised.</summary>
    EncodeOnce,

    /// <summary>SigV4 except S3: dot segments and empty segments removed, then every segment encoded again (<c>%20</c> → <c>%2520</c>).</summary>
    NormalizeAndEncodeTwice,
}

/// <summary>
/// The canonical request both algorithms share: <c>METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED-HEADERS\nPAYLOAD-HASH</c>
/// (the headers block ends with <c>\n</c>, so an empty line precedes the signed headers).
/// </summary>
internal static class CanonicalRequest
{
    public static void Write(
        ref TextBuffer canonical,
        ref TextBuffer signedHeaders,
        string method,
        string path,
        PathRule pathRule,
        string? query,
        ref CanonicalHeaders headers,
        string payloadHash)
    {
        canonical.Append(method);
        canonical.Append('\n');
        if (path.Length == 0)
        {
            canonical.Append('/');
        }
        else if (pathRule == PathRule.EncodeOnce)
        {
            SigningText.Reencode(ref canonical, path, keepSlash: true);
        }
        else
        {
            WriteNormalizedPath(ref canonical, path);
        }

        canonical.Append('\n');
        CanonicalQuery.Write(ref canonical, query);
        canonical.Append('\n');
        headers.Write(ref canonical, ref signedHeaders);
        canonical.Append('\n');
        canonical.Append(signedHeaders.Span);
        canonical.Append('\n');
        canonical.Append(payloadHash);
    }

    /// <summary>RFC 3986 §5.2.4 dot-segment removal with empty segments dropped (botocore's rule), each kept segment encoded.</summary>
    private static void WriteNormalizedPath(ref TextBuffer target, string path)
    {
        int origin = target.Length;
        int segments = path.Count('/') + 1;
        Span<int> starts = segments <= 64 ? stackalloc int[64] : new int[segments];
        int depth = 0;
        if (path[0] == '/')
        {
            target.Append('/');
        }

        int bodyStart = target.Length;
        foreach (Range range in path.AsSpan().Split('/'))
        {
            ReadOnlySpan<char> segment = path.AsSpan()[range];
            if (segment.IsEmpty || segment is ".")
            {
                continue;
            }

            if (segment is "..")
            {
                if (depth > 0)
                {
                    target.Truncate(starts[--depth]);
                }

                continue;
            }

            starts[depth++] = target.Length;
            if (target.Length > bodyStart)
            {
                target.Append('/');
            }

            SigningText.Encode(ref target, segment, keepSlash: false);
        }

        if (path[^1] == '/' && depth > 0)
        {
            target.Append('/');
        }

        if (target.Length == origin)
        {
            target.Append('/');
        }
    }
}
