namespace CloudCredentials.Alibaba;

/// <summary>
/// The official ALIBABA_CLOUD_* environment variables. They are read when a provider is built or rebuilt
/// (options reload), never frozen at type load.
/// </summary>
internal static class AlibabaEnvironment
{
    public const string AccessKeyId = "ALIBABA_CLOUD_ACCESS_KEY_ID";
    public const string AccessKeySecret = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
    public const string SecurityToken = "ALIBABA_CLOUD_SECURITY_TOKEN";
    public const string RoleArn = "ALIBABA_CLOUD_ROLE_ARN";
    public const string RoleSessionName = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
    public const string OidcProviderArn = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
    public const string OidcTokenFile = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
    public const string StsRegion = "ALIBABA_CLOUD_STS_REGION";
    public const string VpcEndpointEnabled = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";
    public const string EcsMetadata = "ALIBABA_CLOUD_ECS_METADATA";
    public const string EcsMetadataDisabled = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
    public const string ImdsV1Disabled = "ALIBABA_CLOUD_IMDSV1_DISABLED";
    public const string ImdsV1DisabledLegacy = "ALIBABA_CLOUD_IMDSV1_DISABLE";
    public const string CredentialsUri = "ALIBABA_CLOUD_CREDENTIALS_URI";
    public const string CredentialsFile = "ALIBABA_CLOUD_CREDENTIALS_FILE";
    public const string Profile = "ALIBABA_CLOUD_PROFILE";
    public const string CliProfileDisabled = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
    public const string ConfigFile = "ALIBABA_CLOUD_CONFIG_FILE";

    /// <summary>Gets a variable's value, or <see langword="null"/> when it is unset, empty or whitespace.</summary>
    public static string? Get(string name)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>Reads a boolean: case-insensitive <c>true</c> or <c>1</c> is true, anything else (or unset) false. Never throws.</summary>
    public static bool GetBool(string name) => ParseBool(Environment.GetEnvironmentVariable(name));

    /// <summary>Parses a boolean the way the environment variables are read: <c>true</c>/<c>1</c> (any case, trimmed) is true.</summary>
    public static bool ParseBool(string? value)
    {
        if (value is null)
        {
            return false;
        }

        ReadOnlySpan<char> v = value.AsSpan().Trim();
        return v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.SequenceEqual("1");
    }

    /// <summary>Whether the IMDSv1 fallback is disabled by <c>ALIBABA_CLOUD_IMDSV1_DISABLED</c> or its older spelling.</summary>
    public static bool ImdsV1DisabledByEnvironment => GetBool(ImdsV1Disabled) || GetBool(ImdsV1DisabledLegacy);

    /// <summary>
    /// The user's home directory: <c>HOME</c> (or <c>USERPROFILE</c> on Windows), read live so tests can redirect it.
    /// </summary>
    public static string? HomeDirectory
    {
        get
        {
            string? home = OperatingSystem.IsWindows()
                ? Get("USERPROFILE") ?? CombineHomeDrive()
                : Get("HOME");
            if (home is null)
            {
                string profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                home = string.IsNullOrEmpty(profile) ? null : profile;
            }

            return home;
        }
    }

    private static string? CombineHomeDrive()
    {
        string? drive = Get("HOMEDRIVE");
        string? path = Get("HOMEPATH");
        return drive is null || path is null ? null : drive + path;
    }
}
