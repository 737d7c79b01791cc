using CloudCredentials.Alibaba.CloudSso;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.External;
using CloudCredentials.Alibaba.OAuth;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Static;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Credentials;
using CloudCredentials.Http;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// The mapping step for a profile of the CLI config.json: turns it into a resolved <see cref="CredentialSpec"/>,
/// following <c>source_profile</c> links of ChainableRamRoleArn profiles and reporting cycles and chains longer than
/// <see cref="MaxChainLength"/> profiles. Values the profile lacks come from the registration's options, then the
/// environment, exactly as for typed options; a role's session name comes from the profile, then
/// <c>ALIBABA_CLOUD_ROLE_SESSION_NAME</c>, then the default.
/// </summary>
internal static class CliProfileReader
{
    /// <summary>The provider name: <c>cli_profile</c>.</summary>
    public const string ProviderName = CredentialProviderNames.CliProfile;

    /// <summary>
    /// The most profiles one ChainableRamRoleArn chain may hold, its source included: 32. Mapping, building and fetching
    /// recurse once per link, so an unbounded chain (thousands of profiles) would overflow the stack and end the process.
    /// </summary>
    public const int MaxChainLength = 32;

    /// <summary>The profile name: the explicit option, else <c>ALIBABA_CLOUD_PROFILE</c>, else the file's <c>current</c>.</summary>
    /// <param name="configured">The <c>Profile</c> option.</param>
    /// <param name="file">The parsed file.</param>
    /// <returns>The profile name, or <see langword="null"/>.</returns>
    public static string? SelectProfileName(string? configured, CliConfigFile file)
        => !string.IsNullOrWhiteSpace(configured)
            ? configured
            : AlibabaEnvironment.Get(AlibabaEnvironment.Profile) ?? file.Current;

    /// <summary>Reads profile <paramref name="profileName"/> of <paramref name="file"/>.</summary>
    /// <param name="file">The parsed file.</param>
    /// <param name="profileName">The profile to read.</param>
    /// <param name="options">The registration's options, for values the profile lacks.</param>
    /// <returns>The resolved spec.</returns>
    /// <exception cref="CredentialUnavailableException">The profile is missing, incomplete, of an unsupported mode, or part of a cycle.</exception>
    public static CredentialSpec ToSpec(CliConfigFile file, string? profileName, CloudCredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(profileName))
        {
            throw Fail(file, "no profile selected: set CloudCredentials:Profile or ALIBABA_CLOUD_PROFILE, or 'current' in the file");
        }

        return ToSpec(file, profileName, [], options);
    }

    private static CredentialSpec ToSpec(CliConfigFile file, string profileName, List<string> visiting, CloudCredentialsOptions options)
    {
        if (visiting.Contains(profileName, StringComparer.Ordinal))
        {
            visiting.Add(profileName);
            throw Fail(file, $"ChainableRamRoleArn profiles form a cycle: {string.Join(" -> ", visiting)}; point source_profile at a profile that does not lead back");
        }

        if (visiting.Count == MaxChainLength)
        {
            visiting.Add(profileName);
            throw Fail(file, $"the ChainableRamRoleArn chain from profile '{visiting[0]}' is longer than {MaxChainLength} profiles ({Excerpt(visiting)}); point a source_profile at a profile with its own credentials (AK, StsToken, EcsRamRole, ...) to shorten it");
        }

        visiting.Add(profileName);
        CliProfile profile = file.Find(profileName)
            ?? throw Fail(file, $"profile '{profileName}' not found (profiles: {string.Join(", ", file.Profiles.Select(p => p.Name))})");

        try
        {
            return profile.Mode switch
            {
                "AK" => new AccessKeySpec(Require(file, profile, "access_key_id"), Require(file, profile, "access_key_secret")),
                "StsToken" => new StsTokenSpec(
                    Require(file, profile, "access_key_id"),
                    Require(file, profile, "access_key_secret"),
                    Require(file, profile, "sts_token")),
                "RamRoleArn" => RoleSpec(
                    file,
                    profile,
                    new AccessKeySpec(Require(file, profile, "access_key_id"), Require(file, profile, "access_key_secret")),
                    options),
                "ChainableRamRoleArn" => RoleSpec(
                    file,
                    profile,
                    ToSpec(file, Require(file, profile, "source_profile"), visiting, options),
                    options),
                "EcsRamRole" => EcsRamRoleSpec.Resolve(profile.GetString("ram_role_name"), null, options),
                "OIDC" => Oidc(file, profile, options),
                "CloudSSO" => new CloudSsoSpec
                {
                    SignInUrl = SignInUrl(file, profile, options),
                    AccountId = Require(file, profile, "cloud_sso_account_id"),
                    AccessConfig = Require(file, profile, "cloud_sso_access_config"),
                    AccessToken = profile.GetString("access_token"),
                    AccessTokenExpire = profile.GetInt64("cloud_sso_access_token_expire") ?? 0,
                    ProfileName = profile.Name,
                },
                "OAuth" => new OAuthSpec { ConfigPath = file.Path, ProfileName = profile.Name, SiteType = SiteType(file, profile) },
                "External" => External(file, profile, options),
                "" => throw Fail(file, $"profile '{profile.Name}' has no 'mode'; expected one of AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, CloudSSO, OAuth, External"),
                _ => throw Fail(file, $"profile '{profile.Name}' has unsupported mode '{profile.Mode}'; supported: AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, CloudSSO, OAuth, External"),
            };
        }
        catch (FormatException ex)
        {
            throw Fail(file, ex.Message);
        }
    }

    /// <summary>The first and last three profiles of a long chain, so the message stays short however long the chain.</summary>
    private static string Excerpt(List<string> chain)
        => chain.Count <= 6
            ? string.Join(" -> ", chain)
            : string.Join(" -> ", chain.Take(3)) + " -> ... -> " + string.Join(" -> ", chain.Skip(chain.Count - 3));

    /// <summary>
    /// An External profile runs its <c>process_command</c> as this application's user, so it is taken only from a file
    /// that no other user can change.
    /// </summary>
    private static ExternalSpec External(CliConfigFile file, CliProfile profile, CloudCredentialsOptions options)
    {
        string command = Require(file, profile, "process_command");
        if (file.WritableByOthers is { } exposure)
        {
            throw Fail(file, $"refusing to run the process_command of External profile '{profile.Name}', since another user could make this application run any command: {exposure} (the CLI writes the file with mode 600)");
        }

        return new ExternalSpec
        {
            Command = command,
            ConfigPath = file.Path,
            ProfileName = profile.Name,
            Timeout = options.Timeout is { } ms ? TimeSpan.FromMilliseconds(ms) : ExternalSpec.DefaultTimeout,
        };
    }

    private static OidcRoleArnSpec Oidc(CliConfigFile file, CliProfile profile, CloudCredentialsOptions options)
    {
        string roleArn = Require(file, profile, "ram_role_arn");
        string providerArn = Require(file, profile, "oidc_provider_arn");
        string tokenFile = Require(file, profile, "oidc_token_file");
        return new OidcRoleArnSpec(Session(file, profile, CredentialProviderNames.OidcRoleArn, roleArn, options), providerArn, tokenFile);
    }

    private static RamRoleArnSpec RoleSpec(CliConfigFile file, CliProfile profile, CredentialSpec source, CloudCredentialsOptions options)
        => new(source, Session(file, profile, CredentialProviderNames.RamRoleArn, Require(file, profile, "ram_role_arn"), options), profile.GetString("external_id"));

    private static RoleSessionParameters Session(CliConfigFile file, CliProfile profile, string providerName, string roleArn, CloudCredentialsOptions options)
    {
        try
        {
            return RoleSessionParameters.Resolve(
                providerName,
                roleArn,
                // The profile's own session name, else ALIBABA_CLOUD_ROLE_SESSION_NAME (as Go's and Node's role builders), else the default.
                profile.GetString("ram_session_name") ?? AlibabaEnvironment.Get(AlibabaEnvironment.RoleSessionName),
                Duration(file, profile),
                profile.GetString("policy"),
                profile.GetString("sts_endpoint"),
                profile.GetString("sts_region"),
                profile.GetString("enable_vpc") is null ? null : profile.GetBool("enable_vpc"),
                options);
        }
        catch (CredentialUnavailableException ex) when (ex.Reason is not null)
        {
            // An STS endpoint or region the profile (or the options) gives is refused before anything is sent.
            throw Fail(file, $"profile '{profile.Name}': {ex.Reason}");
        }
    }

    private static int? Duration(CliConfigFile file, CliProfile profile)
    {
        long? seconds = profile.GetInt64("expired_seconds");
        if (seconds is null or 0)
        {
            return null;
        }

        if (seconds < 900 || seconds > int.MaxValue)
        {
            throw Fail(file, $"profile '{profile.Name}': expired_seconds is {seconds}; the session duration must be at least 900 seconds");
        }

        return (int)seconds;
    }

    /// <summary>The CloudSSO sign-in URL; plain http only where <see cref="PlainHttpPolicy"/> allows it (the SSO token is sent there).</summary>
    private static string SignInUrl(CliConfigFile file, CliProfile profile, CloudCredentialsOptions options)
    {
        string url = Require(file, profile, "cloud_sso_sign_in_url");
        if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out Uri? uri) && PlainHttpPolicy.Check(uri, options.AllowedHttpHosts, "cloud_sso_sign_in_url") is { } problem)
        {
            throw Fail(file, $"profile '{profile.Name}': {problem}");
        }

        return url;
    }

    private static string SiteType(CliConfigFile file, CliProfile profile)
    {
        string site = profile.GetString("oauth_site_type") ?? string.Empty;
        return site.ToUpperInvariant() switch
        {
            "CN" => "CN",
            "INTL" => "INTL",
            _ => throw Fail(file, $"profile '{profile.Name}': invalid OAuth site type '{site}', support CN or INTL"),
        };
    }

    private static string Require(CliConfigFile file, CliProfile profile, string key)
        => profile.GetString(key) ?? throw Fail(file, $"profile '{profile.Name}' (mode {profile.Mode}) has no '{key}'; add it or run 'aliyun configure --profile {profile.Name}'");

    private static CredentialUnavailableException Fail(CliConfigFile file, string problem)
        => new(ProviderName, $"{file.Path}: {problem}", null);
}
