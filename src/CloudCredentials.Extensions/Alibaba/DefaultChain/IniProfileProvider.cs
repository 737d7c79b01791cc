using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// The <c>profile</c> provider: a section of the legacy INI file (<c>ALIBABA_CLOUD_CREDENTIALS_FILE</c>,
/// <c>~/.alibabacloud/credentials</c> or <c>credentials.ini</c>), chosen by the Profile option,
/// <c>ALIBABA_CLOUD_PROFILE</c> or <c>default</c>. Credentials are named <c>profile/&lt;inner&gt;</c>.
/// </summary>
internal sealed class IniProfileProvider : ProfileProviderBase
{
    private readonly string? _profile;

    public IniProfileProvider(string? profile, Func<CredentialSpec, ICredentialProvider> build)
        : base(build)
    {
        _profile = profile;
    }

    public override string ProviderName => IniProfileReader.ProviderName;

    protected override string ResolvePath()
    {
        IReadOnlyList<string> candidates = IniFile.CandidatePaths();
        string? path = candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            string where = candidates.Count == 0 ? "(HOME is not set)" : string.Join(" or ", candidates);
            throw new CredentialUnavailableException(ProviderName, $"no credentials file at {where}", null);
        }

        return path;
    }

    protected override CredentialSpec ReadSpec(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialUnavailableException(ProviderName, $"unable to read {path}: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CredentialUnavailableException(ProviderName, $"{path} is empty", null);
        }

        IniFile file;
        try
        {
            file = IniFile.Parse(path, text);
        }
        catch (FormatException ex)
        {
            throw new CredentialUnavailableException(ProviderName, ex.Message, null);
        }

        string section = !string.IsNullOrWhiteSpace(_profile)
            ? _profile
            : AlibabaEnvironment.Get(AlibabaEnvironment.Profile) ?? "default";
        return IniProfileReader.ToSpec(file, section);
    }
}
