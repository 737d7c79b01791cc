using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Credentials;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// The <c>cli_profile</c> provider: a profile of the Alibaba Cloud CLI config.json. The file is read on the first
/// fetch (and again after a failure); the inner provider it describes is then kept, so session credentials
/// of a chained profile are cached by their own sources. Credentials are named <c>cli_profile/&lt;inner&gt;</c>.
/// </summary>
internal sealed class CliProfileProvider : ProfileProviderBase
{
    private readonly CloudCredentialsOptions _options;
    private readonly string? _configFile;
    private readonly string? _profile;
    private readonly ILogger _logger;
    private readonly HashSet<string> _warnedFiles = new(StringComparer.Ordinal);

    /// <summary>Creates the provider.</summary>
    /// <param name="options">The registration's options, for values a profile lacks.</param>
    /// <param name="configFile">The <c>ConfigFile</c> option, or <see langword="null"/>.</param>
    /// <param name="profile">The <c>Profile</c> option, or <see langword="null"/>.</param>
    /// <param name="build">Builds the provider of the profile's spec.</param>
    /// <param name="logger">Warns (once per file) about a config.json that other users can change; none when <see langword="null"/>.</param>
    public CliProfileProvider(CloudCredentialsOptions options, string? configFile, string? profile, Func<CredentialSpec, ICredentialProvider> build, ILogger? logger = null)
        : base(build)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _configFile = configFile;
        _profile = profile;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public override string ProviderName => CliProfileReader.ProviderName;

    /// <inheritdoc />
    protected override string ResolvePath()
    {
        if (AlibabaEnvironment.GetBool(AlibabaEnvironment.CliProfileDisabled))
        {
            throw new CredentialUnavailableException(ProviderName, "the CLI profile is disabled by ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true", null);
        }

        return CliConfigFile.ResolvePath(_configFile)
            ?? throw new CredentialUnavailableException(ProviderName, "cannot find the home directory (HOME is not set); set CloudCredentials:ConfigFile or ALIBABA_CLOUD_CONFIG_FILE", null);
    }

    /// <inheritdoc />
    protected override CredentialSpec ReadSpec(string path)
    {
        CliConfigFile file = CliConfigFile.Load(path, ProviderName);
        if (file.WritableByOthers is { } exposure)
        {
            // An External profile from such a file is refused by the mapping; any other profile is used, with a warning.
            bool first;
            lock (_warnedFiles)
            {
                first = _warnedFiles.Add(path);
            }

            if (first)
            {
                Log.ProfileFileWritableByOthers(_logger, exposure);
            }
        }

        return CliProfileReader.ToSpec(file, CliProfileReader.SelectProfileName(_profile, file), _options);
    }
}
