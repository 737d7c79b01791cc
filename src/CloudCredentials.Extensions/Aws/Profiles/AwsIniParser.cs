namespace CloudCredentials.Aws.Profiles;

/// <summary>
/// Parses one AWS shared file (<c>config</c> or <c>credentials</c>) into sections of lower-cased keys. Blank lines and
/// lines starting with <c>#</c> or <c>;</c> are comments; a value's inline comment starts at whitespace followed by
/// <c>#</c> or <c>;</c>; an indented line is a sub-property (ignored) under a key whose value is empty, else a key of
/// its own when it holds <c>=</c> (as the AWS SDK for .NET reads it), else a continuation of the previous value; keys before the first section are ignored; the last duplicate key wins. A line that is none
/// of these throws a <see cref="FormatException"/> naming the file and the line, never its content.
/// </summary>
internal static class AwsIniParser
{
    /// <summary>Parses the text of <paramref name="path"/>.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="path">The file, named in errors.</param>
    /// <returns>The sections by their raw header (inner text, whitespace runs collapsed to one space), in file order.</returns>
    /// <exception cref="FormatException">A garbled line.</exception>
    public static List<(string Header, Dictionary<string, string> Values)> Parse(string text, string path)
    {
        var sections = new List<(string, Dictionary<string, string>)>();
        Dictionary<string, string>? current = null;
        string? lastKey = null;
        bool inSubProperties = false;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string raw = lines[i].TrimEnd('\r');
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (raw[0] is ' ' or '\t' && lastKey is not null && current is not null && (inSubProperties || !line.Contains('=')))
            {
                // A nested sub-property (s3 =\n  max_concurrent_requests = 10) or a continuation of the value. An
                // indented "key = value" after a key with a value is a key of its own, as the AWS SDK for .NET reads it.
                if (!inSubProperties)
                {
                    current[lastKey] = current[lastKey] + "\n" + line;
                }

                continue;
            }

            if (line[0] == '[')
            {
                string header = StripComment(line, anywhere: true);
                if (!header.EndsWith(']'))
                {
                    throw new FormatException($"{path}: line {i + 1}: a section header must end with ']'");
                }

                string inner = string.Join(' ', header[1..^1].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
                if (inner.Length == 0)
                {
                    throw new FormatException($"{path}: line {i + 1}: a section header needs a name, such as [default]");
                }

                current = new Dictionary<string, string>(StringComparer.Ordinal);
                sections.Add((inner, current));
                lastKey = null;
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"{path}: line {i + 1}: expected 'key = value' or a [section] header");
            }

            if (current is null)
            {
                lastKey = null;
                continue; // before the first section: ignored, like the AWS SDKs
            }

            string key = line[..eq].Trim().ToLowerInvariant();
            string value = StripComment(line[(eq + 1)..], anywhere: false).Trim();
            current[key] = value;
            lastKey = key;
            inSubProperties = value.Length == 0;
        }

        return sections;
    }

    /// <summary>Removes a comment: in a header from the first <c>#</c> or <c>;</c>, in a value from whitespace followed by one.</summary>
    private static string StripComment(string text, bool anywhere)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is '#' or ';' && (anywhere || (i > 0 && text[i - 1] is ' ' or '\t')))
            {
                return text[..i].TrimEnd();
            }
        }

        return text;
    }
}
