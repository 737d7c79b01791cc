using System.Text.Json;
using System.Text.Json.Nodes;
using CloudCredentials.Internal;

namespace CloudCredentials.Alibaba.Profiles;

/// <summary>
/// The parsed Alibaba Cloud CLI config.json: <c>{"current": "...", "profiles": [ {...} ]}</c>.
/// Parse errors become <see cref="CredentialUnavailableException"/>s that name the file and the problem.
/// </summary>
internal sealed class CliConfigFile
{
    private CliConfigFile(string path, JsonObject root, string? current, IReadOnlyList<CliProfile> profiles)
    {
        Path = path;
        Root = root;
        Current = current;
        Profiles = profiles;
    }

    public string Path { get; }

    /// <summary>The whole document, unknown fields included.</summary>
    public JsonObject Root { get; }

    public string? Current { get; }

    public IReadOnlyList<CliProfile> Profiles { get; }

    /// <summary>
    /// Why users other than the owner can change the file, as a sentence naming the file or directory, its mode and the
    /// <c>chmod</c> that fixes it; <see langword="null"/> when they cannot, on Windows, or for text that was only parsed.
    /// Set by <see cref="Load"/>.
    /// </summary>
    public string? WritableByOthers { get; private set; }

    public CliProfile? Find(string name)
    {
        foreach (CliProfile p in Profiles)
        {
            if (string.Equals(p.Name, name, StringComparison.Ordinal))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>Reads and parses <paramref name="path"/>; <paramref name="providerName"/> prefixes the error.</summary>
    /// <exception cref="CredentialUnavailableException">The file is missing, not a regular file, larger than 1 MiB, unreadable,
    /// empty, not JSON, or has no profiles.</exception>
    public static CliConfigFile Load(string path, string providerName)
    {
        string text;
        try
        {
            text = BoundedFileReader.ReadAllText(path, BoundedFileReader.ProfileFileMaxBytes);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CredentialUnavailableException(providerName, $"{path} not found (the Alibaba Cloud CLI writes it with 'aliyun configure')", null);
        }
        catch (InvalidDataException ex)
        {
            // A FIFO, a device or a directory, or far too large: the message names the file and the problem.
            throw new CredentialUnavailableException(providerName, $"{ex.Message}; check the CLI config path (CloudCredentials:ConfigFile, {AlibabaEnvironment.ConfigFile}, else ~/.aliyun/config.json)", null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialUnavailableException(providerName, $"unable to read {path}: {ex.Message}", ex);
        }

        CliConfigFile file = Parse(path, text, providerName);
        file.WritableByOthers = DescribeWritableByOthers(path);
        return file;
    }

    /// <summary>Parses config.json text read from <paramref name="path"/>.</summary>
    public static CliConfigFile Parse(string path, string text, string providerName)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CredentialUnavailableException(providerName, $"{path} is empty; run 'aliyun configure' or fix the file", null);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            // JsonException messages quote positions, not content, so no secret is echoed.
            throw new CredentialUnavailableException(providerName, $"{path} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}); fix the file or run 'aliyun configure'", null);
        }

        if (node is not JsonObject root)
        {
            throw new CredentialUnavailableException(providerName, $"{path} must contain a JSON object with a 'profiles' array", null);
        }

        var profiles = new List<CliProfile>();
        if (root.TryGetPropertyValue("profiles", out JsonNode? list) && list is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                if (item is JsonObject o)
                {
                    profiles.Add(new CliProfile(o));
                }
            }
        }

        if (profiles.Count == 0)
        {
            throw new CredentialUnavailableException(providerName, $"{path} has no profiles; run 'aliyun configure' to add one", null);
        }

        string? current = root.TryGetPropertyValue("current", out JsonNode? c) && c is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : null;
        return new CliConfigFile(path, root, string.IsNullOrWhiteSpace(current) ? null : current, profiles);
    }

    /// <summary>
    /// Whether another user can change <paramref name="path"/> (Unix): the file is group- or other-writable, or its
    /// directory is (unless the directory has the sticky bit, like <c>/tmp</c>, where others cannot replace our file).
    /// </summary>
    private static string? DescribeWritableByOthers(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        const UnixFileMode othersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        string full = System.IO.Path.GetFullPath(path);
        if (TryGetMode(full) is { } mode && (mode & othersWrite) != 0)
        {
            return Exposed(full, mode);
        }

        string? directory = System.IO.Path.GetDirectoryName(full);
        return directory is not null && TryGetMode(directory) is { } directoryMode
            && (directoryMode & othersWrite) != 0 && (directoryMode & UnixFileMode.StickyBit) == 0
            ? Exposed(directory, directoryMode)
            : null;

        static string Exposed(string what, UnixFileMode mode)
            => $"{what} is writable by other users (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}); run 'chmod go-w {what}'";
    }

    private static UnixFileMode? TryGetMode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return File.GetUnixFileMode(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The config.json path: the explicit option, else <c>ALIBABA_CLOUD_CONFIG_FILE</c>, else <c>~/.aliyun/config.json</c>.</summary>
    public static string? ResolvePath(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        string? fromEnv = AlibabaEnvironment.Get(AlibabaEnvironment.ConfigFile);
        if (fromEnv is not null)
        {
            return fromEnv;
        }

        string? home = AlibabaEnvironment.HomeDirectory;
        return home is null ? null : System.IO.Path.Combine(home, ".aliyun", "config.json");
    }
}
