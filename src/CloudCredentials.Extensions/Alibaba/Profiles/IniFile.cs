namespace CloudCredentials.Alibaba.Profiles;

/// <summary>
/// A minimal INI reader for the legacy <c>~/.alibabacloud/credentials</c> file: <c>[section]</c> headers,
/// <c>key = value</c> lines, full-line comments starting with <c>#</c> or <c>;</c>. Keys are case-sensitive. As in
/// Go's and Node's ini readers, a value loses an inline comment (<c>#</c> or <c>;</c> at its start or after whitespace,
/// outside double quotes) and one pair of surrounding double or single quotes (see <see cref="ParseValue"/>).
/// </summary>
internal sealed class IniFile
{
    private readonly Dictionary<string, Dictionary<string, string>> _sections;

    private IniFile(string path, Dictionary<string, Dictionary<string, string>> sections)
    {
        Path = path;
        _sections = sections;
    }

    public string Path { get; }

    public IEnumerable<string> SectionNames => _sections.Keys;

    public IReadOnlyDictionary<string, string>? Section(string name)
        => _sections.TryGetValue(name, out Dictionary<string, string>? s) ? s : null;

    /// <summary>Parses INI text; a malformed line throws a <see cref="FormatException"/> naming the file and line (never its value).</summary>
    public static IniFile Parse(string path, string text)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                int close = line.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new FormatException($"{path}: line {i + 1}: section header is missing ']'");
                }

                string name = line[1..close].Trim();
                if (!sections.TryGetValue(name, out current))
                {
                    current = new Dictionary<string, string>(StringComparer.Ordinal);
                    sections[name] = current;
                }

                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"{path}: line {i + 1}: expected 'key = value'");
            }

            if (current is null)
            {
                throw new FormatException($"{path}: line {i + 1}: a key appears before any [section]");
            }

            current[line[..eq].Trim()] = ParseValue(line[(eq + 1)..].Trim());
        }

        return new IniFile(path, sections);
    }

    /// <summary>
    /// The value of a <c>key = value</c> line: <c>"quoted"</c> or <c>'quoted'</c> becomes its inner text, verbatim, when
    /// nothing but whitespace and a comment follows the closing quote; otherwise an inline comment — <c>#</c> or
    /// <c>;</c> at the start of the value or after whitespace, and not inside double quotes (a JSON policy keeps its
    /// <c>"a ;b"</c>) — is cut off. <c>a#b</c> and unmatched quotes are kept as they are.
    /// </summary>
    /// <param name="raw">The text after <c>=</c>, trimmed.</param>
    /// <returns>The value.</returns>
    internal static string ParseValue(string raw)
    {
        if (raw.Length >= 2 && raw[0] is '"' or '\'')
        {
            int close = raw.IndexOf(raw[0], 1);
            if (close > 0)
            {
                string rest = raw[(close + 1)..];
                string comment = rest.TrimStart();
                if (comment.Length == 0 || (comment[0] is '#' or ';' && comment.Length < rest.Length))
                {
                    return raw[1..close];
                }
            }
        }

        bool inQuotes = false;
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && c is '#' or ';' && (i == 0 || char.IsWhiteSpace(raw[i - 1])))
            {
                return raw[..i].TrimEnd();
            }
        }

        return raw;
    }

    /// <summary>
    /// The INI path: <c>ALIBABA_CLOUD_CREDENTIALS_FILE</c>, else <c>~/.alibabacloud/credentials</c>, else
    /// <c>~/.alibabacloud/credentials.ini</c> (the first that exists; the first candidate when none does).
    /// </summary>
    public static IReadOnlyList<string> CandidatePaths()
    {
        string? fromEnv = AlibabaEnvironment.Get(AlibabaEnvironment.CredentialsFile);
        if (fromEnv is not null)
        {
            return [fromEnv];
        }

        string? home = AlibabaEnvironment.HomeDirectory;
        if (home is null)
        {
            return [];
        }

        string dir = System.IO.Path.Combine(home, ".alibabacloud");
        return [System.IO.Path.Combine(dir, "credentials"), System.IO.Path.Combine(dir, "credentials.ini")];
    }
}
