namespace CloudCredentials;

/// <summary>
/// The values of <see cref="CloudCredential.ProviderName"/> and <see cref="CredentialUnavailableException.ProviderName"/>,
/// as the official Alibaba Cloud Credentials libraries name them. A composed source joins names with <c>/</c>, outer
/// first: <c>default/cli_profile/ram_role_arn/static_ak</c> is a role assumed with a CLI profile's AccessKey, found
/// by the default chain.
/// </summary>
public static class CredentialProviderNames
{
    /// <summary>The default chain: <c>default</c>.</summary>
    public const string Default = "default";

    /// <summary>The <c>ALIBABA_CLOUD_ACCESS_KEY_*</c> environment variables: <c>env</c>.</summary>
    public const string Environment = "env";

    /// <summary>A profile of the Alibaba Cloud CLI config.json: <c>cli_profile</c>.</summary>
    public const string CliProfile = "cli_profile";

    /// <summary>A section of the legacy INI credentials file: <c>profile</c>.</summary>
    public const string Profile = "profile";

    /// <summary>A configured AccessKey pair: <c>static_ak</c>.</summary>
    public const string StaticAccessKey = "static_ak";

    /// <summary>A configured STS token: <c>static_sts</c>.</summary>
    public const string StaticSts = "static_sts";

    /// <summary>A configured bearer token: <c>bearer</c>.</summary>
    public const string Bearer = "bearer";

    /// <summary>STS AssumeRole: <c>ram_role_arn</c>.</summary>
    public const string RamRoleArn = "ram_role_arn";

    /// <summary>STS AssumeRoleWithOIDC: <c>oidc_role_arn</c>.</summary>
    public const string OidcRoleArn = "oidc_role_arn";

    /// <summary>The ECS instance metadata RAM role: <c>ecs_ram_role</c>.</summary>
    public const string EcsRamRole = "ecs_ram_role";

    /// <summary>A credentials URI: <c>credential_uri</c> (the official libraries' spelling).</summary>
    public const string CredentialsUri = "credential_uri";

    /// <summary>A CLI CloudSSO profile: <c>cloud_sso</c>.</summary>
    public const string CloudSso = "cloud_sso";

    /// <summary>A CLI OAuth profile: <c>oauth</c>.</summary>
    public const string OAuth = "oauth";

    /// <summary>A CLI External profile (<c>process_command</c>): <c>external</c>.</summary>
    public const string External = "external";
}
