using System.Buffers;

namespace CloudCredentials.Signing;

/// <summary>
/// The canonical query string of both algorithms: the wire query split on <c>&amp;</c>, each name and value decoded and
/// RFC 3986-encoded again, a name without <c>=</c> given the empty value, pairs sorted by name then value (ordinal),
/// joined as <c>name=value</c> with <c>&amp;</c>.
/// </summary>
internal static class CanonicalQuery
{
    /// <summary>Writes the canonical form of <paramref name="wireQuery"/> (with or without its leading <c>?</c>).</summary>
    public static void Write(ref TextBuffer target, scoped ReadOnlySpan<char> wireQuery)
    {
        if (wireQuery.StartsWith('?'))
        {
            wireQuery = wireQuery[1..];
        }

        if (wireQuery.IsEmpty)
        {
            return;
        }

        int count = wireQuery.Count('&') + 1;
        QueryPair[] pairs = ArrayPool<QueryPair>.Shared.Rent(count);
        var scratch = new TextBuffer(wireQuery.Length + 16);
        try
        {
            int used = 0;
            foreach (Range range in wireQuery.Split('&'))
            {
                ReadOnlySpan<char> pair = wireQuery[range];
                if (pair.IsEmpty)
                {
                    continue;
                }

                int equals = pair.IndexOf('=');
                ReadOnlySpan<char> name = equals < 0 ? pair : pair[..equals];
                ReadOnlySpan<char> value = equals < 0 ? [] : pair[(equals + 1)..];
                int nameStart = scratch.Length;
                SigningText.Reencode(ref scratch, name, keepSlash: false);
                int valueStart = scratch.Length;
                SigningText.Reencode(ref scratch, value, keepSlash: false);
                pairs[used++] = new QueryPair(nameStart, valueStart - nameStart, valueStart, scratch.Length - valueStart);
            }

            Span<QueryPair> sorted = pairs.AsSpan(0, used);
            ReadOnlySpan<char> text = scratch.Span;
            SortPairs(sorted, text);
            for (int i = 0; i < sorted.Length; i++)
            {
                if (i > 0)
                {
                    target.Append('&');
                }

                target.Append(text.Slice(sorted[i].NameStart, sorted[i].NameLength));
                target.Append('=');
                target.Append(text.Slice(sorted[i].ValueStart, sorted[i].ValueLength));
            }
        }
        finally
        {
            scratch.Dispose();
            ArrayPool<QueryPair>.Shared.Return(pairs);
        }
    }

    /// <summary>A stable insertion sort: queries are short, and it needs no comparer object.</summary>
    private static void SortPairs(Span<QueryPair> pairs, ReadOnlySpan<char> text)
    {
        for (int i = 1; i < pairs.Length; i++)
        {
            QueryPair current = pairs[i];
            int j = i - 1;
            while (j >= 0 && Compare(pairs[j], current, text) > 0)
            {
                pairs[j + 1] = pairs[j];
                j--;
            }

            pairs[j + 1] = current;
        }
    }

    private static int Compare(QueryPair a, QueryPair b, ReadOnlySpan<char> text)
    {
        int byName = text.Slice(a.NameStart, a.NameLength).SequenceCompareTo(text.Slice(b.NameStart, b.NameLength));
        return byName != 0 ? byName : text.Slice(a.ValueStart, a.ValueLength).SequenceCompareTo(text.Slice(b.ValueStart, b.ValueLength));
    }

    private readonly record struct QueryPair(int NameStart, int NameLength, int ValueStart, int ValueLength);
}
