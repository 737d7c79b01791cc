using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// Turns a profile of the CLI config.json into a <see cref="CredentialSpec"/>, following
/// <c>source_profile</c> links of ChainableRamRoleArn profiles and reporting cycles.
/// </summary>
internal static class CliProfileReader
{
    public const string ProviderName = "cli_profile";

    /// <summary>The profile name: the explicit option, else <c>ALIBABA_CLOUD_PROFILE</c>, else the file's <c>current</c>.</summary>
    public static string? SelectProfileName(string? configured, CliConfigFile file)
        => !string.IsNullOrWhiteSpace(configured)
            ? configured
            : AlibabaEnvironment.Get(AlibabaEnvironment.Profile) ?? file.Current;

    /// <summary>Reads profile <paramref name="profileName"/> of <paramref name="file"/>.</summary>
    /// <exception cref="CredentialUnavailableException">The profile is missing, incomplete, of an unsupported mode, or part of a cycle.</exception>
    public static CredentialSpec ToSpec(CliConfigFile file, string? profileName)
    {
        if (string.IsNullOrWhiteSpace(profileName))
        {
            throw Fail(file, "no profile selected: set CloudCredentials:Profile or ALIBABA_CLOUD_PROFILE, or 'current' in the file");
        }

        return ToSpec(file, profileName, []);
    }

    private static CredentialSpec ToSpec(CliConfigFile file, string profileName, List<string> visiting)
    {
        if (visiting.Contains(profileName, StringComparer.Ordinal))
        {
            visiting.Add(profileName);
            throw Fail(file, $"ChainableRamRoleArn profiles form a cycle: {string.Join(" -> ", visiting)}; point source_profile at a profile that does not lead back");
        }

        visiting.Add(profileName);
        CliProfile profile = file.Find(profileName)
            ?? throw Fail(file, $"profile '{profileName}' not found (profiles: {string.Join(", ", file.Profiles.Select(p => p.Name))})");

        try
        {
            return profile.Mode switch
            {
                "AK" => new CredentialSpec.AccessKey(Require(file, profile, "access_key_id"), Require(file, profile, "access_key_secret")),
                "StsToken" => new CredentialSpec.StsToken(
                    Require(file, profile, "access_key_id"),
                    Require(file, profile, "access_key_secret"),
                    Require(file, profile, "sts_token")),
                "RamRoleArn" => RoleSpec(
                    file,
                    profile,
                    new CredentialSpec.AccessKey(Require(file, profile, "access_key_id"), Require(file, profile, "access_key_secret"))),
                "ChainableRamRoleArn" => RoleSpec(
                    file,
                    profile,
                    ToSpec(file, Require(file, profile, "source_profile"), visiting)),
                "EcsRamRole" => new CredentialSpec.EcsRamRole(profile.GetString("ram_role_name")?.Trim(), null),
                "OIDC" => new CredentialSpec.OidcRoleArn(
                    Require(file, profile, "ram_role_arn"),
                    Require(file, profile, "oidc_provider_arn"),
                    Require(file, profile, "oidc_token_file"),
                    profile.GetString("ram_session_name"),
                    Duration(file, profile),
                    profile.GetString("policy"),
                    profile.GetString("sts_endpoint"),
                    profile.GetString("sts_region"),
                    profile.GetString("enable_vpc") is null ? null : profile.GetBool("enable_vpc")),
                "CloudSSO" => new CredentialSpec.CloudSso(
                    Require(file, profile, "cloud_sso_sign_in_url"),
                    Require(file, profile, "cloud_sso_account_id"),
                    Require(file, profile, "cloud_sso_access_config"),
                    profile.GetString("access_token"),
                    profile.GetInt64("cloud_sso_access_token_expire") ?? 0,
                    profile.Name),
                "OAuth" => new CredentialSpec.OAuth(file.Path, profile.Name, SiteType(file, profile)),
                "External" => new CredentialSpec.External(Require(file, profile, "process_command"), file.Path, profile.Name),
                "" => throw Fail(file, $"profile '{profile.Name}' has no 'mode'; expected one of AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, CloudSSO, OAuth, External"),
                _ => throw Fail(file, $"profile '{profile.Name}' has unsupported mode '{profile.Mode}'; supported: AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, CloudSSO, OAuth, External"),
            };
        }
        catch (FormatException ex)
        {
            throw Fail(file, ex.Message);
        }
    }

    private static CredentialSpec.RamRoleArn RoleSpec(CliConfigFile file, CliProfile profile, CredentialSpec source) => new(
        source,
        Require(file, profile, "ram_role_arn"),
        profile.GetString("ram_session_name"),
        Duration(file, profile),
        profile.GetString("policy"),
        profile.GetString("external_id"),
        profile.GetString("sts_endpoint"),
        profile.GetString("sts_region"),
        profile.GetString("enable_vpc") is null ? null : profile.GetBool("enable_vpc"));

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
