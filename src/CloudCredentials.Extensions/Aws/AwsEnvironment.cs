namespace CloudCredentials.Aws;

/// <summary>
/// The AWS_* environment variables the AWS family reads (spec AWS_CREDENTIALS.md section 2 and its decisions table).
/// They are read when a provider is built or rebuilt (options reload), never frozen at type load.
/// </summary>
internal static class AwsEnvironment
{
    public const string AccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string SecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    public const string SessionToken = "AWS_SESSION_TOKEN";
    public const string Profile = "AWS_PROFILE";
    public const string DefaultProfile = "AWS_DEFAULT_PROFILE";
    public const string ConfigFile = "AWS_CONFIG_FILE";
    public const string SharedCredentialsFile = "AWS_SHARED_CREDENTIALS_FILE";
    public const string Region = "AWS_REGION";
    public const string DefaultRegion = "AWS_DEFAULT_REGION";
    public const string RoleArn = "AWS_ROLE_ARN";
    public const string RoleSessionName = "AWS_ROLE_SESSION_NAME";
    public const string WebIdentityTokenFile = "AWS_WEB_IDENTITY_TOKEN_FILE";
    public const string ContainerRelativeUri = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
    public const string ContainerFullUri = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    public const string ContainerAuthorizationToken = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
    public const string ContainerAuthorizationTokenFile = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
    public const string Ec2MetadataDisabled = "AWS_EC2_METADATA_DISABLED";
    public const string Ec2MetadataServiceEndpoint = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
    public const string Ec2MetadataServiceEndpointMode = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
    public const string Ec2MetadataV1Disabled = "AWS_EC2_METADATA_V1_DISABLED";
    public const string MetadataServiceTimeout = "AWS_METADATA_SERVICE_TIMEOUT";
    public const string MetadataServiceNumAttempts = "AWS_METADATA_SERVICE_NUM_ATTEMPTS";
    public const string EndpointUrlSts = "AWS_ENDPOINT_URL_STS";
    public const string EndpointUrl = "AWS_ENDPOINT_URL";

    /// <summary>A setting's value when not blank, else the variable's (blank counts as unset).</summary>
    /// <param name="value">The setting (options win over the environment).</param>
    /// <param name="name">The variable, or <see langword="null"/>.</param>
    public static string? Setting(string? value, string? name)
        => !string.IsNullOrWhiteSpace(value) ? value.Trim() : name is null ? null : Get(name)?.Trim();

    /// <summary>The user's home folder (HOME, else USERPROFILE, else the OS's), for <c>~/.aws</c>.</summary>
    public static string Home()
        => Get("HOME") ?? Get("USERPROFILE") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>Gets a variable's value, or <see langword="null"/> when it is unset or empty.</summary>
    /// <remarks>Whitespace-only values count as unset, like the Alibaba variables.</remarks>
    public static string? Get(string name)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>Whether a variable is <c>true</c>, case-insensitive and trimmed (the AWS SDKs' rule; <c>1</c> is not true).</summary>
    public static bool IsTrue(string name)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        return value is not null && value.AsSpan().Trim().Equals("true", StringComparison.OrdinalIgnoreCase);
    }
}
