using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>Turns a section of the legacy INI credentials file into a <see cref="CredentialSpec"/>.</summary>
internal static class IniProfileReader
{
    public const string ProviderName = "profile";

    public static CredentialSpec ToSpec(IniFile file, string sectionName)
    {
        IReadOnlyDictionary<string, string> s = file.Section(sectionName)
            ?? throw Fail(file, $"section [{sectionName}] not found (sections: {string.Join(", ", file.SectionNames)}); set ALIBABA_CLOUD_PROFILE to one of them");

        string type = Get(s, "type") ?? throw Fail(file, $"section [{sectionName}] has no 'type'; expected access_key, ram_role_arn, oidc_role_arn or ecs_ram_role");
        return type switch
        {
            CredentialTypes.AccessKey => new CredentialSpec.AccessKey(Require(file, sectionName, s, "access_key_id"), Require(file, sectionName, s, "access_key_secret")),
            CredentialTypes.RamRoleArn => new CredentialSpec.RamRoleArn(
                new CredentialSpec.AccessKey(Require(file, sectionName, s, "access_key_id"), Require(file, sectionName, s, "access_key_secret")),
                Require(file, sectionName, s, "role_arn"),
                Require(file, sectionName, s, "role_session_name"),
                null,
                Get(s, "policy"),
                Get(s, "external_id"),
                Get(s, "sts_endpoint"),
                Get(s, "sts_region"),
                Get(s, "enable_vpc") is { } vpc ? AlibabaEnvironment.ParseBool(vpc) : null),
            CredentialTypes.OidcRoleArn => new CredentialSpec.OidcRoleArn(
                Require(file, sectionName, s, "role_arn"),
                Require(file, sectionName, s, "oidc_provider_arn"),
                Require(file, sectionName, s, "oidc_token_file_path"),
                Get(s, "role_session_name"),
                null,
                Get(s, "policy"),
                Get(s, "sts_endpoint"),
                Get(s, "sts_region"),
                Get(s, "enable_vpc") is { } vpc2 ? AlibabaEnvironment.ParseBool(vpc2) : null),
            CredentialTypes.EcsRamRole => new CredentialSpec.EcsRamRole(Get(s, "role_name")?.Trim(), null),
            CredentialTypes.RsaKeyPair => throw Fail(file, $"section [{sectionName}]: type rsa_key_pair is deprecated and not supported; use ram_role_arn or access_key"),
            _ => throw Fail(file, $"section [{sectionName}]: unsupported type '{type}'; supported: access_key, ram_role_arn, oidc_role_arn, ecs_ram_role"),
        };
    }

    private static string? Get(IReadOnlyDictionary<string, string> s, string key)
        => s.TryGetValue(key, out string? v) && !string.IsNullOrWhiteSpace(v) ? v : null;

    private static string Require(IniFile file, string section, IReadOnlyDictionary<string, string> s, string key)
        => Get(s, key) ?? throw Fail(file, $"section [{section}] has no '{key}'");

    private static CredentialUnavailableException Fail(IniFile file, string problem) => new(ProviderName, $"{file.Path}: {problem}", null);
}
