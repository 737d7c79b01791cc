using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Static;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// The mapping step for a section of the legacy INI credentials file: turns it into a resolved
/// <see cref="CredentialSpec"/>; values the section lacks come from the registration's options, then the environment.
/// An <c>oidc_role_arn</c> section without <c>role_session_name</c> takes <c>ALIBABA_CLOUD_ROLE_SESSION_NAME</c>, then the
/// default; a <c>ram_role_arn</c> section must name its session (as every official library requires).
/// </summary>
internal static class IniProfileReader
{
    /// <summary>The provider name: <c>profile</c>.</summary>
    public const string ProviderName = CredentialProviderNames.Profile;

    /// <summary>Reads section <paramref name="sectionName"/> of <paramref name="file"/>.</summary>
    /// <param name="file">The parsed file.</param>
    /// <param name="sectionName">The section to read.</param>
    /// <param name="options">The registration's options, for values the section lacks.</param>
    /// <returns>The resolved spec.</returns>
    /// <exception cref="CredentialUnavailableException">The section is missing, incomplete or of an unsupported type.</exception>
    public static CredentialSpec ToSpec(IniFile file, string sectionName, CloudCredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyDictionary<string, string> s = file.Section(sectionName)
            ?? throw Fail(file, $"section [{sectionName}] not found (sections: {string.Join(", ", file.SectionNames)}); set ALIBABA_CLOUD_PROFILE to one of them");

        string type = Get(s, "type") ?? throw Fail(file, $"section [{sectionName}] has no 'type'; expected access_key, ram_role_arn, oidc_role_arn or ecs_ram_role");
        return type switch
        {
            CredentialTypes.AccessKey => new AccessKeySpec(Require(file, sectionName, s, "access_key_id"), Require(file, sectionName, s, "access_key_secret")),
            CredentialTypes.RamRoleArn => RamRole(file, sectionName, s, options),
            CredentialTypes.OidcRoleArn => Oidc(file, sectionName, s, options),
            CredentialTypes.EcsRamRole => EcsRamRoleSpec.Resolve(Get(s, "role_name"), null, options),
            CredentialTypes.RsaKeyPair => throw Fail(file, $"section [{sectionName}]: type rsa_key_pair is deprecated and not supported; use ram_role_arn or access_key"),
            _ => throw Fail(file, $"section [{sectionName}]: unsupported type '{type}'; supported: access_key, ram_role_arn, oidc_role_arn, ecs_ram_role"),
        };
    }

    private static RamRoleArnSpec RamRole(IniFile file, string section, IReadOnlyDictionary<string, string> s, CloudCredentialsOptions options)
    {
        var source = new AccessKeySpec(Require(file, section, s, "access_key_id"), Require(file, section, s, "access_key_secret"));
        string roleArn = Require(file, section, s, "role_arn");
        string sessionName = Require(file, section, s, "role_session_name");
        return new RamRoleArnSpec(source, Session(s, CredentialProviderNames.RamRoleArn, roleArn, sessionName, options), Get(s, "external_id"));
    }

    private static OidcRoleArnSpec Oidc(IniFile file, string section, IReadOnlyDictionary<string, string> s, CloudCredentialsOptions options)
    {
        string roleArn = Require(file, section, s, "role_arn");
        string providerArn = Require(file, section, s, "oidc_provider_arn");
        string tokenFile = Require(file, section, s, "oidc_token_file_path");
        return new OidcRoleArnSpec(Session(s, CredentialProviderNames.OidcRoleArn, roleArn, Get(s, "role_session_name") ?? AlibabaEnvironment.Get(AlibabaEnvironment.RoleSessionName), options), providerArn, tokenFile);
    }

    private static RoleSessionParameters Session(IReadOnlyDictionary<string, string> s, string providerName, string roleArn, string? sessionName, CloudCredentialsOptions options)
        => RoleSessionParameters.Resolve(
            providerName,
            roleArn,
            sessionName,
            null,
            Get(s, "policy"),
            Get(s, "sts_endpoint"),
            Get(s, "sts_region"),
            Get(s, "enable_vpc") is { } vpc ? AlibabaEnvironment.ParseBool(vpc) : null,
            options);

    private static string? Get(IReadOnlyDictionary<string, string> s, string key)
        => s.TryGetValue(key, out string? v) && !string.IsNullOrWhiteSpace(v) ? v : null;

    private static string Require(IniFile file, string section, IReadOnlyDictionary<string, string> s, string key)
        => Get(s, key) ?? throw Fail(file, $"section [{section}] has no '{key}'");

    private static CredentialUnavailableException Fail(IniFile file, string problem) => new(ProviderName, $"{file.Path}: {problem}", null);
}
