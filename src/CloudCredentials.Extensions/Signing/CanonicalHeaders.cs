using System.Buffers;
using System.Collections.Frozen;

namespace CloudCredentials.Signing;

/// <summary>Which headers an algorithm signs and how it writes their values.</summary>
internal enum HeaderRules
{
    /// <summary>SigV4: every header but the never-signed ones; values trimmed with inner whitespace runs folded; repeated names joined in order.</summary>
    SigV4,

    /// <summary>ACS3: only <c>host</c>, <c>content-type</c> and <c>x-acs-*</c>; values trimmed; repeated names joined in value order.</summary>
    AcsV3,
}

/// <summary>
/// Collects the headers to sign (in a pooled array) and writes the canonical headers block and the signed-headers list.
/// </summary>
internal ref struct CanonicalHeaders
{
    /// <summary>Never signed by SigV4 (botocore's list plus content-length): changed by proxies or added by the transport.</summary>
    private static readonly FrozenSet<string> NeverSigned = new[]
    {
        "authorization", "user-agent", "x-amzn-trace-id", "expect", "content-length", "connection", "keep-alive",
        "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private readonly HeaderRules _rules;
    private HeaderEntry[] _entries;
    private int _count;

    public CanonicalHeaders(HeaderRules rules, int capacity)
    {
        _rules = rules;
        _entries = ArrayPool<HeaderEntry>.Shared.Rent(Math.Max(capacity, 8));
        _count = 0;
    }

    /// <summary>Whether <paramref name="name"/> (any case) is signed under <paramref name="rules"/>.</summary>
    public static bool IsSigned(HeaderRules rules, string name) => rules == HeaderRules.AcsV3
        ? name.Equals("host", StringComparison.OrdinalIgnoreCase)
            || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("x-acs-", StringComparison.OrdinalIgnoreCase)
        : !IsNeverSigned(name);

    /// <summary>Adds a header if the rules sign it; names of any case, repeated names allowed.</summary>
    public void Add(string name, string value)
    {
        if (!IsSigned(_rules, name))
        {
            return;
        }

        if (_count == _entries.Length)
        {
            HeaderEntry[] bigger = ArrayPool<HeaderEntry>.Shared.Rent(_count * 2);
            _entries.AsSpan(0, _count).CopyTo(bigger);
            ArrayPool<HeaderEntry>.Shared.Return(_entries, clearArray: true);
            _entries = bigger;
        }

        _entries[_count++] = new HeaderEntry(name, value);
    }

    /// <summary>Adds each header the rules sign.</summary>
    public void AddRange(IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (KeyValuePair<string, string> header in headers)
        {
            Add(header.Key, header.Value ?? string.Empty);
        }
    }

    /// <summary>Writes <c>name:value\n</c> per signed name into <paramref name="canonical"/> and <c>a;b;c</c> into <paramref name="signedHeaders"/>.</summary>
    public readonly void Write(ref TextBuffer canonical, ref TextBuffer signedHeaders)
    {
        Span<HeaderEntry> entries = _entries.AsSpan(0, _count);
        Sort(entries, byValue: _rules == HeaderRules.AcsV3);
        for (int i = 0; i < entries.Length; i++)
        {
            bool sameName = i > 0 && CompareNames(entries[i - 1].Name, entries[i].Name) == 0;
            if (sameName)
            {
                canonical.Truncate(canonical.Length - 1); // the previous line's '\n'
                canonical.Append(',');
            }
            else
            {
                if (i > 0)
                {
                    signedHeaders.Append(';');
                }

                signedHeaders.AppendLower(entries[i].Name);
                canonical.AppendLower(entries[i].Name);
                canonical.Append(':');
            }

            WriteValue(ref canonical, entries[i].Value, fold: _rules == HeaderRules.SigV4);
            canonical.Append('\n');
        }
    }

    public void Dispose()
    {
        if (_entries.Length > 0)
        {
            ArrayPool<HeaderEntry>.Shared.Return(_entries, clearArray: true);
            _entries = [];
        }
    }

    private static bool IsNeverSigned(string name) => NeverSigned.Contains(name);

    private static void WriteValue(ref TextBuffer canonical, string value, bool fold)
    {
        ReadOnlySpan<char> trimmed = value.AsSpan().Trim();
        if (!fold)
        {
            canonical.Append(trimmed);
            return;
        }

        bool inSpace = false;
        foreach (char c in trimmed)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                inSpace = true;
                continue;
            }

            if (inSpace)
            {
                canonical.Append(' ');
                inSpace = false;
            }

            canonical.Append(c);
        }
    }

    /// <summary>A stable insertion sort by lower-cased name (then by value for ACS3); header lists are short.</summary>
    private static void Sort(Span<HeaderEntry> entries, bool byValue)
    {
        for (int i = 1; i < entries.Length; i++)
        {
            HeaderEntry current = entries[i];
            int j = i - 1;
            while (j >= 0 && Compare(entries[j], current, byValue) > 0)
            {
                entries[j + 1] = entries[j];
                j--;
            }

            entries[j + 1] = current;
        }
    }

    private static int Compare(HeaderEntry a, HeaderEntry b, bool byValue)
    {
        int byName = CompareNames(a.Name, b.Name);
        return byName != 0 || !byValue ? byName : a.Value.AsSpan().Trim().SequenceCompareTo(b.Value.AsSpan().Trim());
    }

    /// <summary>Ordinal comparison of the ASCII-lower-cased names (not OrdinalIgnoreCase, which upper-cases: '_' sorts differently).</summary>
    private static int CompareNames(string a, string b)
    {
        int length = Math.Min(a.Length, b.Length);
        for (int i = 0; i < length; i++)
        {
            int diff = Lower(a[i]) - Lower(b[i]);
            if (diff != 0)
            {
                return diff;
            }
        }

        return a.Length - b.Length;
    }

    private static char Lower(char c) => char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;

    private readonly record struct HeaderEntry(string Name, string Value);
}
