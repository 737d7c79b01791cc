using CloudCredentials.Internal;

namespace CloudCredentials.Aws.Profiles;

/// <summary>
/// The profiles of the AWS shared files: <c>config</c> (<c>[default]</c> and <c>[profile X]</c>; other sections, such as
/// <c>[sso-session X]</c>, are not profiles) and <c>credentials</c> (<c>[X]</c>), merged per key with the credentials
/// file winning. Paths: the options' <c>ConfigFile</c> / <c>CredentialsFile</c>, else <c>AWS_CONFIG_FILE</c> /
/// <c>AWS_SHARED_CREDENTIALS_FILE</c>, else <c>~/.aws/config</c> / <c>~/.aws/credentials</c>. A missing file holds no
/// profiles; an unreadable or garbled one is an error naming the file (and the line).
/// </summary>
internal sealed class AwsProfileStore
{
    private readonly Dictionary<string, Dictionary<string, string>> _profiles;

    private AwsProfileStore(string configPath, string credentialsPath, Dictionary<string, Dictionary<string, string>> profiles, bool anyFile)
    {
        ConfigPath = configPath;
        CredentialsPath = credentialsPath;
        _profiles = profiles;
        AnyFileExists = anyFile;
    }

    /// <summary>Gets the config file's path.</summary>
    public string ConfigPath { get; }

    /// <summary>Gets the credentials file's path.</summary>
    public string CredentialsPath { get; }

    /// <summary>Gets whether at least one of the two files exists.</summary>
    public bool AnyFileExists { get; }

    /// <summary>Gets the profile names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _profiles.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Describes the files: <c>/home/u/.aws/config and /home/u/.aws/credentials</c>.</summary>
    public string Files => $"{ConfigPath} and {CredentialsPath}";

    /// <summary>Describes the existing profiles for an error: <c>the profiles in ... are: a, b</c>.</summary>
    public string DescribeProfiles() => _profiles.Count == 0
        ? $"there are no profiles in {Files}"
        : $"the profiles in {Files} are: {string.Join(", ", Names)}";

    /// <summary>Finds a profile by its exact name.</summary>
    public AwsProfile? Find(string name)
        => _profiles.TryGetValue(name, out Dictionary<string, string>? values) ? new AwsProfile(name, values) : null;

    /// <summary>The config file path: the setting, else <c>AWS_CONFIG_FILE</c>, else <c>~/.aws/config</c>.</summary>
    public static string ConfigFilePath(string? setting)
        => AwsEnvironment.Setting(setting, AwsEnvironment.ConfigFile) ?? Path.Combine(AwsEnvironment.Home(), ".aws", "config");

    /// <summary>The credentials file path: the setting, else <c>AWS_SHARED_CREDENTIALS_FILE</c>, else <c>~/.aws/credentials</c>.</summary>
    public static string CredentialsFilePath(string? setting)
        => AwsEnvironment.Setting(setting, AwsEnvironment.SharedCredentialsFile) ?? Path.Combine(AwsEnvironment.Home(), ".aws", "credentials");

    /// <summary>Reads both files now.</summary>
    /// <param name="configFile">The <c>ConfigFile</c> setting, or <see langword="null"/>.</param>
    /// <param name="credentialsFile">The <c>CredentialsFile</c> setting, or <see langword="null"/>.</param>
    /// <returns>The profiles.</returns>
    /// <exception cref="FormatException">A file cannot be read or parsed; the message names the file (and line), never its content.</exception>
    public static AwsProfileStore Load(string? configFile, string? credentialsFile)
    {
        string configPath = ExpandHome(ConfigFilePath(configFile));
        string credentialsPath = ExpandHome(CredentialsFilePath(credentialsFile));
        var profiles = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        bool configExists = Read(configPath, profiles, isConfig: true);
        bool credentialsExists = Read(credentialsPath, profiles, isConfig: false);
        return new AwsProfileStore(configPath, credentialsPath, profiles, configExists || credentialsExists);
    }

    private static bool Read(string path, Dictionary<string, Dictionary<string, string>> profiles, bool isConfig)
    {
        if (!File.Exists(path))
        {
            return Directory.Exists(path) ? throw new FormatException($"{path} is a directory, not a file") : false;
        }

        string text;
        try
        {
            text = BoundedFileReader.ReadAllText(path, BoundedFileReader.ProfileFileMaxBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new FormatException($"{path} cannot be read: {ex.GetType().Name}; check that it is a readable file", ex);
        }

        // [profile X] replaces [X] in the config file (Go's rule), so prefixed sections are merged last.
        var sections = AwsIniParser.Parse(text, path);
        foreach ((string header, Dictionary<string, string> values) in sections.OrderBy(s => isConfig && s.Header.StartsWith("profile ", StringComparison.Ordinal) ? 1 : 0))
        {
            if (ProfileName(header, isConfig) is not { } name)
            {
                continue;
            }

            if (!profiles.TryGetValue(name, out Dictionary<string, string>? merged))
            {
                profiles[name] = merged = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            foreach ((string key, string value) in values)
            {
                merged[key] = value; // the credentials file is read second: it wins per key
            }
        }

        return true;
    }

    /// <summary>The profile a section header names, or <see langword="null"/> for a section that is not a profile.</summary>
    private static string? ProfileName(string header, bool isConfig)
    {
        if (!isConfig)
        {
            return header.StartsWith("profile ", StringComparison.Ordinal) ? null : header;
        }

        if (string.Equals(header, "default", StringComparison.OrdinalIgnoreCase))
        {
            return "default";
        }

        return header.StartsWith("profile ", StringComparison.Ordinal) && header.Length > "profile ".Length ? header["profile ".Length..] : null;
    }

    private static string ExpandHome(string path)
        => path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal)
            ? Path.Combine(AwsEnvironment.Home(), path.Length > 2 ? path[2..] : string.Empty)
            : path;
}
