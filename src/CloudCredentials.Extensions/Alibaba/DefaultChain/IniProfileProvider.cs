using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Credentials;
using CloudCredentials.Internal;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// The <c>profile</c> provider: a section of the legacy INI file (<c>ALIBABA_CLOUD_CREDENTIALS_FILE</c>,
/// <c>~/.alibabacloud/credentials</c> or <c>credentials.ini</c>), chosen by the Profile option,
/// <c>ALIBABA_CLOUD_PROFILE</c> or <c>default</c>. Credentials are named <c>profile/&lt;inner&gt;</c>.
/// </summary>
internal sealed class IniProfileProvider : ProfileProviderBase
{
    private readonly CloudCredentialsOptions _options;
    private readonly string? _profile;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">The registration's options, for values a section lacks.</param>
    /// <param name="profile">The <c>Profile</c> option, or <see langword="null"/>.</param>
    /// <param name="build">Builds the provider of the section's spec.</param>
    public IniProfileProvider(CloudCredentialsOptions options, string? profile, Func<CredentialSpec, ICredentialProvider> build)
        : base(build)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _profile = profile;
    }

    /// <inheritdoc />
    public override string ProviderName => IniProfileReader.ProviderName;

    /// <inheritdoc />
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

    /// <inheritdoc />
    protected override CredentialSpec ReadSpec(string path)
    {
        string text;
        try
        {
            text = BoundedFileReader.ReadAllText(path, BoundedFileReader.ProfileFileMaxBytes);
        }
        catch (InvalidDataException ex)
        {
            // A FIFO, a device or a directory, or far too large: the message names the file and the problem.
            throw new CredentialUnavailableException(ProviderName, $"{ex.Message}; check the credentials file path ({AlibabaEnvironment.CredentialsFile}, else ~/.alibabacloud/credentials)", null);
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
        return IniProfileReader.ToSpec(file, section, _options);
    }
}
