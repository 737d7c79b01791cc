namespace CloudCredentials.Emulator;

/// <summary>Settings of a <see cref="CloudEmulator"/>, read once when it starts.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The AccessKey ID of the demo pair every emulator accepts by default. A fake, emulator-only value.</summary>
    public const string DefaultAccessKeyId = "LTAIEmulatorKeyId";

    /// <summary>The AccessKey secret of the demo pair every emulator accepts by default. A fake, emulator-only value.</summary>
    public const string DefaultAccessKeySecret = "EmulatorKeySecret";

    /// <summary>The bearer token the ROA echo route accepts by default. A fake, emulator-only value.</summary>
    public const string DefaultBearerToken = "EmulatorBearerToken";

    /// <summary>Gets or sets the TCP port Kestrel listens on, on 127.0.0.1.</summary>
    /// <value>The default is 0: any free port (read it back from <see cref="CloudEmulator.BaseAddress"/>).</value>
    public int Port { get; set; }

    /// <summary>
    /// Gets or sets the clock of the emulator: IMDSv2 token TTLs, credential <c>Expiration</c>, STS timestamp checks and
    /// the expiry of issued STS keys all follow it. Tests pass a fake clock.
    /// </summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets the lifetime of issued credentials: ECS metadata and credentials URI credentials expire after it, and
    /// STS credentials after <c>min(DurationSeconds, CredentialLifetime)</c>.
    /// </summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the RAM role name the ECS metadata service reports and serves credentials for.</summary>
    /// <value>The default is <c>EmulatorRole</c>.</value>
    public string RoleName { get; set; } = "EmulatorRole";

    /// <summary>Gets or sets whether metadata GETs without an IMDSv2 token are refused with 403 (IMDSv1 disabled on the instance).</summary>
    /// <value>The default is <see langword="false"/>: IMDSv1 GETs are answered.</value>
    public bool RequireImdsV2 { get; set; }

    /// <summary>
    /// Gets the AccessKey pairs (ID → secret) whose signatures STS <c>AssumeRole</c> accepts, besides the STS keys the
    /// emulator itself issued (used with their <c>SecurityToken</c>).
    /// </summary>
    /// <value>The default holds one fake pair: <see cref="DefaultAccessKeyId"/> → <see cref="DefaultAccessKeySecret"/>.</value>
    public IDictionary<string, string> AccessKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DefaultAccessKeyId] = DefaultAccessKeySecret,
    };

    /// <summary>Gets or sets the path of the credentials URI endpoint (must start with <c>/</c>).</summary>
    /// <value>The default is <c>/credentials</c>.</value>
    public string CredentialsUriPath { get; set; } = "/credentials";

    /// <summary>
    /// Gets or sets the check <c>AssumeRoleWithOIDC</c> applies to the OIDC token; <see langword="false"/> gives
    /// <c>AuthenticationFail.OIDCToken.Invalid</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: any non-empty token is accepted.</value>
    public Func<string, bool>? OidcTokenValidator { get; set; }

    /// <summary>
    /// Gets or sets how far an <c>AssumeRole</c> <c>Timestamp</c> may be from the emulator's clock before STS answers
    /// <c>InvalidTimeStamp.Expired</c> (the real service allows 15 minutes); the same window applies to the
    /// <c>x-acs-date</c> of V3-signed calls (and remembers their nonces that long) and to the <c>X-Amz-Date</c> of SigV4-signed
    /// AWS STS calls (<c>SignatureDoesNotMatch</c>, "Signature expired"). <see langword="null"/> disables the check.
    /// </summary>
    /// <value>The default is 15 minutes.</value>
    public TimeSpan? MaxTimestampSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Gets the bearer tokens (<c>x-acs-bearer-token</c> values, SIGNING.md §1.6) the ROA echo route accepts instead of
    /// an <c>ACS3-HMAC-SHA256</c> signature.
    /// </summary>
    /// <value>The default holds one fake token: <see cref="DefaultBearerToken"/>.</value>
    public ISet<string> BearerTokens { get; } = new HashSet<string>(StringComparer.Ordinal) { DefaultBearerToken };

    /// <summary>Gets the settings of the AWS endpoints (EC2 instance metadata, container credentials, STS).</summary>
    public AwsEmulatorOptions Aws { get; } = new();

    /// <summary>
    /// Gets or sets a sink for one line per request (method, path without its query, service, status), used by the
    /// program mode. Never receives headers, query strings or bodies, so no secret reaches it.
    /// </summary>
    internal Action<string>? RequestLog { get; set; }

    /// <summary>Gets or sets whether the server's own warnings and errors go to the console (program mode).</summary>
    internal bool ConsoleWarnings { get; set; }

    /// <summary>Validates the settings; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 0, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535, nameof(Port));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CredentialLifetime, TimeSpan.Zero, nameof(CredentialLifetime));
        ArgumentException.ThrowIfNullOrWhiteSpace(RoleName, nameof(RoleName));
        if (RoleName.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("RoleName must not contain '/'.", nameof(RoleName));
        }

        ArgumentException.ThrowIfNullOrEmpty(CredentialsUriPath, nameof(CredentialsUriPath));
        if (!CredentialsUriPath.StartsWith('/') || CredentialsUriPath == "/" || CredentialsUriPath.StartsWith("/latest/", StringComparison.Ordinal)
            || CredentialsUriPath.StartsWith("/_emulator", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                "CredentialsUriPath must start with '/' and must not be '/', under /latest/ or under /_emulator.", nameof(CredentialsUriPath));
        }

        Aws.Validate();
        if (MaxTimestampSkew is { } skew)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(skew, TimeSpan.Zero, nameof(MaxTimestampSkew));
        }
    }
}
