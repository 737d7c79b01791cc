using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// The <c>cli_profile</c> provider: a profile of the Alibaba Cloud CLI config.json. The file is read on the first
/// fetch (and again after a failure); the inner provider it describes is then kept, so session credentials
/// of a chained profile are cached by their own sources. Credentials are named <c>cli_profile/&lt;inner&gt;</c>.
/// </summary>
internal sealed class CliProfileProvider : ProfileProviderBase
{
    private readonly string? _configFile;
    private readonly string? _profile;

    public CliProfileProvider(string? configFile, string? profile, Func<CredentialSpec, ICredentialProvider> build)
        : base(build)
    {
        _configFile = configFile;
        _profile = profile;
    }

    public override string ProviderName => CliProfileReader.ProviderName;

    protected override string ResolvePath()
    {
        if (AlibabaEnvironment.GetBool(AlibabaEnvironment.CliProfileDisabled))
        {
            throw new CredentialUnavailableException(ProviderName, "the CLI profile is disabled by ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true", null);
        }

        return CliConfigFile.ResolvePath(_configFile)
            ?? throw new CredentialUnavailableException(ProviderName, "cannot find the home directory (HOME is not set); set CloudCredentials:ConfigFile or ALIBABA_CLOUD_CONFIG_FILE", null);
    }

    protected override CredentialSpec ReadSpec(string path)
    {
        CliConfigFile file = CliConfigFile.Load(path, ProviderName);
        return CliProfileReader.ToSpec(file, CliProfileReader.SelectProfileName(_profile, file));
    }
}
