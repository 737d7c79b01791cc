namespace CloudCredentials.Emulator;

/// <summary>
/// The AWS side of a <see cref="CloudEmulator"/> (<see cref="EmulatorOptions.Aws"/>): EC2 instance metadata under
/// <c>/latest/meta-data/iam/</c>, the container credentials endpoint and the STS Query API (<c>Version=2011-06-15</c> at <c>/</c>),
/// all on the same port as the Alibaba services. The clock and <see cref="EmulatorOptions.CredentialLifetime"/> are shared.
/// </summary>
public sealed class AwsEmulatorOptions
{
    /// <summary>The access key ID of the demo key pair the AWS STS endpoint accepts by default. A fake, emulator-only value.</summary>
    public const string DefaultAccessKeyId = "AKIAEMULATORKEY00001";

    /// <summary>The secret access key of the demo key pair. A fake, emulator-only value.</summary>
    public const string DefaultSecretAccessKey = "EmulatorSecretAccessKey/NotARealAwsKey0001";

    /// <summary>The default container endpoint <c>Authorization</c> token. A fake, emulator-only value.</summary>
    public const string DefaultContainerAuthorizationToken = "EmulatorContainerToken";

    /// <summary>The AWS account ID in every ARN the emulator writes.</summary>
    public const string AccountId = "123456789012";

    /// <summary>Gets or sets the IAM role name the EC2 metadata service lists and serves credentials for.</summary>
    /// <value>The default is <c>EmulatorInstanceRole</c>.</value>
    public string RoleName { get; set; } = "EmulatorInstanceRole";

    /// <summary>
    /// Gets or sets whether IMDSv1 is disabled (the instance's <c>HttpTokens=required</c>): a metadata GET without an
    /// <c>X-aws-ec2-metadata-token</c> header gets 401, as on EC2.
    /// </summary>
    /// <value>The default is <see langword="false"/>: GETs without a token are answered (IMDSv1).</value>
    public bool ImdsV1Disabled { get; set; }

    /// <summary>
    /// Gets or sets the longest IMDSv2 token TTL the emulator grants: a token PUT asking for more (up to the protocol's
    /// 21600 s) gets a token that lives this long, and the granted TTL is in the response's
    /// <c>X-aws-ec2-metadata-token-ttl-seconds</c> header. Lets a test or demo see tokens expire quickly.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the requested TTL is granted.</value>
    public TimeSpan? MaxImdsTokenTtl { get; set; }

    /// <summary>Gets or sets the path of the container credentials endpoint (the value of <c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c>).</summary>
    /// <value>The default is <c>/v2/credentials/emulator</c>.</value>
    public string ContainerPath { get; set; } = "/v2/credentials/emulator";

    /// <summary>
    /// Gets or sets the <c>Authorization</c> header value the container endpoint requires (the content of
    /// <c>AWS_CONTAINER_AUTHORIZATION_TOKEN</c> or its file): none → 401, a different value → 403.
    /// <see langword="null"/> accepts requests without the header (an ECS task endpoint).
    /// </summary>
    /// <value>The default is <see cref="DefaultContainerAuthorizationToken"/>.</value>
    public string? ContainerAuthorizationToken { get; set; } = DefaultContainerAuthorizationToken;

    /// <summary>
    /// Gets or sets the web identity token <c>AssumeRoleWithWebIdentity</c> accepts; another token gets
    /// <c>InvalidIdentityToken</c>. <see langword="null"/> accepts any token of 4 or more characters.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? WebIdentityToken { get; set; }

    /// <summary>
    /// Gets the key pairs (access key ID → secret access key) whose SigV4 signatures STS accepts, besides the temporary
    /// credentials the emulator itself issued (IMDS, container, STS), which are accepted with their session token.
    /// </summary>
    /// <value>The default holds one fake pair: <see cref="DefaultAccessKeyId"/> → <see cref="DefaultSecretAccessKey"/>.</value>
    public IDictionary<string, string> AccessKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DefaultAccessKeyId] = DefaultSecretAccessKey,
    };

    /// <summary>Validates the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(RoleName, "Aws." + nameof(RoleName));
        if (RoleName.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("Aws.RoleName must not contain '/'.", "Aws." + nameof(RoleName));
        }

        if (MaxImdsTokenTtl is { } ttl && (ttl < TimeSpan.FromSeconds(1) || ttl > TimeSpan.FromSeconds(21_600)))
        {
            throw new ArgumentOutOfRangeException("Aws." + nameof(MaxImdsTokenTtl), ttl, "Must be from 1 second to 6 hours.");
        }

        ArgumentException.ThrowIfNullOrEmpty(ContainerPath, "Aws." + nameof(ContainerPath));
        if (!ContainerPath.StartsWith('/') || ContainerPath == "/" || ContainerPath.StartsWith("/latest/", StringComparison.Ordinal)
            || ContainerPath.StartsWith("/_emulator", StringComparison.Ordinal) || ContainerPath.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                "Aws.ContainerPath must start with '/' and must not be '/', under /latest/ or /_emulator, or contain '?'.", "Aws." + nameof(ContainerPath));
        }

        if (ContainerAuthorizationToken is { } token && (token.Length == 0 || token.AsSpan().IndexOfAny('\r', '\n') >= 0))
        {
            throw new ArgumentException("Aws.ContainerAuthorizationToken must be non-empty and without CR/LF (or null for no check).", "Aws." + nameof(ContainerAuthorizationToken));
        }
    }
}
