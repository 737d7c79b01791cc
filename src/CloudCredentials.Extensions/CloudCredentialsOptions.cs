namespace CloudCredentials;

/// <summary>
/// Settings of one credential registration, bound from the <c>CloudCredentials</c> configuration section.
/// Key names follow the official Alibaba Cloud Credentials <c>Config</c>. No <see cref="Type"/> means the default chain.
/// </summary>
public sealed class CloudCredentialsOptions
{
    /// <summary>The configuration section bound by <c>AddCloudCredentials(IConfiguration)</c>.</summary>
    public const string SectionName = "CloudCredentials";

    /// <summary>
    /// Gets or sets the cloud: <c>alibaba</c> or <c>aws</c> (case-insensitive; see <see cref="CloudNames"/>). It decides
    /// which <see cref="Type"/> values and keys apply: the AWS types are in <see cref="AwsCredentialTypes"/>, and a key
    /// of the other cloud is a start-up error.
    /// </summary>
    /// <value>The default is <see langword="null"/>: <c>alibaba</c>.</value>
    public string? Cloud { get; set; }

    /// <summary>
    /// Gets or sets the credential type: <c>access_key</c>, <c>sts</c>, <c>bearer</c>, <c>ram_role_arn</c>,
    /// <c>oidc_role_arn</c>, <c>ecs_ram_role</c>, <c>credentials_uri</c> or <c>default</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the default provider chain.</value>
    public string? Type { get; set; }

    /// <summary>Gets or sets the AccessKey ID (<c>access_key</c>, <c>sts</c>, and the signing key of <c>ram_role_arn</c>). Env fallback <c>ALIBABA_CLOUD_ACCESS_KEY_ID</c>.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>Gets or sets the AccessKey secret. Env fallback <c>ALIBABA_CLOUD_ACCESS_KEY_SECRET</c>.</summary>
    public string? AccessKeySecret { get; set; }

    /// <summary>Gets or sets the STS security token (<c>sts</c>). Env fallback <c>ALIBABA_CLOUD_SECURITY_TOKEN</c>.</summary>
    public string? SecurityToken { get; set; }

    /// <summary>Gets or sets the bearer token (<c>bearer</c>).</summary>
    public string? BearerToken { get; set; }

    /// <summary>Gets or sets the RAM role ARN (<c>ram_role_arn</c>, <c>oidc_role_arn</c>). Env fallback <c>ALIBABA_CLOUD_ROLE_ARN</c>.</summary>
    public string? RoleArn { get; set; }

    /// <summary>Gets or sets the role session name. Env fallback <c>ALIBABA_CLOUD_ROLE_SESSION_NAME</c>.</summary>
    /// <value>The default is <c>credentials-dotnet-&lt;unix milliseconds&gt;</c>.</value>
    public string? RoleSessionName { get; set; }

    /// <summary>Gets or sets the STS session duration in seconds; at least 900.</summary>
    /// <value>The default is 3600.</value>
    public int? RoleSessionExpiration { get; set; }

    /// <summary>Gets or sets an optional policy that further restricts the assumed role.</summary>
    public string? Policy { get; set; }

    /// <summary>Gets or sets the optional external ID of <c>ram_role_arn</c>.</summary>
    public string? ExternalId { get; set; }

    /// <summary>
    /// Gets or sets the STS endpoint: a host (HTTPS), or an absolute URI such as <c>http://127.0.0.1:5080</c>; plain
    /// http only to loopback and link-local addresses or a host in <see cref="AllowedHttpHosts"/>, checked at start.
    /// Also applies to the providers the default chain builds, unless a CLI profile names its own.
    /// </summary>
    /// <value>The default is resolved from <see cref="StsRegionId"/> and <see cref="EnableVpc"/>, else <c>sts.aliyuncs.com</c>.</value>
    public string? StsEndpoint { get; set; }

    /// <summary>Gets or sets the STS region, giving <c>sts.&lt;region&gt;.aliyuncs.com</c>. Env fallback <c>ALIBABA_CLOUD_STS_REGION</c>.</summary>
    public string? StsRegionId { get; set; }

    /// <summary>Gets or sets whether to use the VPC STS endpoint <c>sts-vpc.&lt;region&gt;.aliyuncs.com</c> (needs a region). Env fallback <c>ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED</c>.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool? EnableVpc { get; set; }

    /// <summary>Gets or sets the OIDC provider ARN (<c>oidc_role_arn</c>). Env fallback <c>ALIBABA_CLOUD_OIDC_PROVIDER_ARN</c>.</summary>
    public string? OIDCProviderArn { get; set; }

    /// <summary>Gets or sets the path of the OIDC token file, re-read on every refresh. Env fallback <c>ALIBABA_CLOUD_OIDC_TOKEN_FILE</c>.</summary>
    public string? OIDCTokenFilePath { get; set; }

    /// <summary>Gets or sets the ECS RAM role name (<c>ecs_ram_role</c>). Env fallback <c>ALIBABA_CLOUD_ECS_METADATA</c>; discovered from metadata when empty.</summary>
    public string? RoleName { get; set; }

    /// <summary>
    /// Gets or sets whether the IMDSv1 fallback is disabled. <c>ALIBABA_CLOUD_IMDSV1_DISABLED=true</c> disables it too, and
    /// <see langword="false"/> here does not turn the variable off: the variable can only tighten.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool? DisableIMDSv1 { get; set; }

    /// <summary>
    /// Gets or sets the ECS metadata service base address. Also applies to the default chain's ECS provider.
    /// Tests point it at a loopback fake.
    /// </summary>
    /// <value>The default is <c>http://100.100.100.200</c>.</value>
    public string? MetadataEndpoint { get; set; }

    /// <summary>
    /// Gets or sets how long the default chain remembers that the ECS metadata service did not answer. Off ECS (a laptop,
    /// another cloud) nothing answers at the metadata address: the chain's ECS member sends one short probe (about a
    /// second, no retries), and after a connection failure or timeout skips the metadata service until this much time
    /// has passed on the injected <see cref="TimeProvider"/>; the cheap sources (environment, files) are still checked
    /// on every call. <see cref="TimeSpan.Zero"/> probes on every call. An explicit <c>ecs_ram_role</c> Type does not
    /// probe: it keeps its normal timeouts and retries.
    /// </summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan MetadataUnreachableTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the credentials URI (<c>credentials_uri</c>). Env fallback <c>ALIBABA_CLOUD_CREDENTIALS_URI</c>.</summary>
    public string? CredentialsUri { get; set; }

    /// <summary>
    /// Gets the hosts (<c>host</c> or <c>host:port</c>), besides loopback, link-local and <c>100.100.100.200</c>, that may be
    /// reached over plain HTTP by a credentials URI, the STS endpoint (<see cref="StsEndpoint"/> or a profile's
    /// <c>sts_endpoint</c>) and a CloudSSO profile's sign-in URL. Each of them sends or returns a secret.
    /// </summary>
    /// <value>The default is empty: every other host needs HTTPS.</value>
    public IList<string> AllowedHttpHosts { get; } = [];

    /// <summary>
    /// Gets or sets the CLI profile name (config.json) and INI section (env fallback <c>ALIBABA_CLOUD_PROFILE</c>), or with
    /// Cloud <c>aws</c> the profile of the AWS shared files (env fallback <c>AWS_PROFILE</c>, then <c>AWS_DEFAULT_PROFILE</c>);
    /// set on an AWS default chain, that profile is the source even when AWS env keys are set.
    /// </summary>
    /// <value>The default is the config.json's <c>current</c> profile, and the INI section <c>default</c>.</value>
    public string? Profile { get; set; }

    /// <summary>
    /// Gets or sets the path of the Alibaba Cloud CLI config.json (env fallback <c>ALIBABA_CLOUD_CONFIG_FILE</c>), or with
    /// Cloud <c>aws</c> of the AWS shared config file (env fallback <c>AWS_CONFIG_FILE</c>).
    /// </summary>
    /// <value>The default is <c>~/.aliyun/config.json</c>, or <c>~/.aws/config</c> for AWS.</value>
    public string? ConfigFile { get; set; }

    /// <summary>
    /// Gets or sets the AWS region (Cloud <c>aws</c>): names the regional STS endpoint <c>https://sts.&lt;region&gt;.amazonaws.com</c>
    /// and wins over <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c> and a profile's <c>region</c>.
    /// </summary>
    /// <value>The default is none: the variables, then the profile, else the global endpoint signed for us-east-1.</value>
    public string? Region { get; set; }

    /// <summary>
    /// Gets or sets the base address of the container credentials endpoint for <c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c>
    /// (Cloud <c>aws</c>). Tests point it at a loopback fake.
    /// </summary>
    /// <value>The default is <c>http://169.254.170.2</c>.</value>
    public string? ContainerEndpoint { get; set; }

    /// <summary>Gets or sets the web identity token file of Type <c>web_identity</c> (Cloud <c>aws</c>), re-read on every refresh. Env fallback <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>.</summary>
    public string? WebIdentityTokenFile { get; set; }

    /// <summary>Gets or sets the command of Type <c>process</c> (Cloud <c>aws</c>), like a profile's <c>credential_process</c>; run without a shell.</summary>
    public string? CredentialProcess { get; set; }

    /// <summary>Gets or sets the path of the AWS shared credentials file (Cloud <c>aws</c>). Env fallback <c>AWS_SHARED_CREDENTIALS_FILE</c>.</summary>
    /// <value>The default is <c>~/.aws/credentials</c>. (<see cref="ConfigFile"/> is the AWS config file, default <c>~/.aws/config</c>, env fallback <c>AWS_CONFIG_FILE</c>.)</value>
    public string? CredentialsFile { get; set; }

    /// <summary>Gets or sets the per-attempt read timeout of remote calls, in milliseconds.</summary>
    /// <value>The default is 1000 for ECS metadata and 10000 for STS, credentials URI, CloudSSO and OAuth.</value>
    public int? Timeout { get; set; }

    /// <summary>Gets or sets the connect timeout of remote calls, in milliseconds.</summary>
    /// <value>The default is 1000 for ECS metadata and 5000 for the others.</value>
    public int? ConnectTimeout { get; set; }

    /// <summary>Gets the refresh settings (the <c>Refresh</c> sub-section).</summary>
    public CredentialRefreshOptions Refresh { get; } = new();

    /// <summary>Configuration values that could not be converted to their property type; reported by the validator.</summary>
    internal List<string> BindingErrors { get; } = [];
}
