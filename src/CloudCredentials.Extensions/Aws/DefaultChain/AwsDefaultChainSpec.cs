using CloudCredentials.Aws.Container;
using CloudCredentials.Aws.InstanceMetadata;
using CloudCredentials.Aws.Static;
using CloudCredentials.Aws.Sts;
using CloudCredentials.Aws.WebIdentity;
using CloudCredentials.Credentials;

namespace CloudCredentials.Aws.DefaultChain;

/// <summary>
/// The AWS default chain: env keys → web identity from env → profile → container → IMDS. Selection is by
/// configuration presence: a member that is not configured declines with <see cref="SourceNotConfiguredException"/>
/// and the chain moves on; a configured member answers or fails, and a failure ends the walk (no fall-through from a
/// broken source). Every member stays in <see cref="CredentialChain.Providers"/>, so the chain's error lists all five
/// in order with their reasons. Credentials are named <c>aws/default/&lt;inner&gt;</c>. With the <c>Profile</c> setting
/// the env and web identity members step aside and that profile answers or fails (a profile set in code wins, as in the
/// AWS SDKs).
/// </summary>
/// <param name="Members">The five members, in order.</param>
/// <param name="ClockSkew">How early a remembered member's credential counts as expired.</param>
internal sealed record AwsDefaultChainSpec(IReadOnlyList<CredentialSpec> Members, TimeSpan ClockSkew) : CredentialSpec
{
    /// <summary>The chain's naming, stop-on-failure rule and advice.</summary>
    public static readonly ChainPolicy Policy = new(
        AwsCredentialProviderNames.Default,
        AwsCredentialProviderNames.Join,
        StopOnConfiguredFailure: true,
        $"Configure one of them (for example set {AwsEnvironment.AccessKeyId} and {AwsEnvironment.SecretAccessKey}, {AwsEnvironment.Profile}, or the CloudCredentials:Type setting with Cloud 'aws').");

    /// <summary>Maps the options and the environment now to the chain's members.</summary>
    /// <param name="options">The registration's options.</param>
    /// <param name="section">The configuration path, for errors.</param>
    /// <returns>The chain.</returns>
    public static AwsDefaultChainSpec Resolve(CloudCredentialsOptions options, string section)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> containerErrors = [], imdsErrors = [];
        CredentialSpec? container = ContainerSpec.Resolve(AwsEnvironment.Setting(options.ContainerEndpoint, null), containerErrors);
        CredentialSpec? imds = InstanceMetadataSpec.Resolve(AwsEnvironment.Setting(options.MetadataEndpoint, null), imdsErrors);
        // A profile chosen in configuration (the Profile setting, "a value set in code") is the one source used, as in
        // the AWS SDKs: AWSOptions.Profile / ClientConfig.Profile in .NET, WithSharedConfigProfile in Go, a session
        // profile in botocore. The members before it step aside and it is strict, so the walk ends there.
        bool profileChosen = AwsEnvironment.Setting(options.Profile, null) is not null;
        string chosen = $"{section}:Profile is set, so the chain uses that profile (a profile chosen in configuration wins over the environment, as in the AWS SDKs)";
        return new AwsDefaultChainSpec(
            [
                profileChosen ? new DeclinedSpec(AwsCredentialProviderNames.Environment, chosen, NotConfigured: true) : new AwsEnvironmentSpec(),
                profileChosen ? new DeclinedSpec(AwsCredentialProviderNames.WebIdentity, chosen, NotConfigured: true) : WebIdentityFromEnvironment(options, section),
                new AwsProfileSpec(options, section, Strict: profileChosen),
                Member(AwsCredentialProviderNames.Container, container, containerErrors),
                Member(AwsCredentialProviderNames.InstanceMetadata, imds, imdsErrors),
            ],
            options.Refresh.ClockSkew);
    }

    /// <summary>
    /// Web identity from <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> + <c>AWS_ROLE_ARN</c> (+ <c>AWS_ROLE_SESSION_NAME</c>); the
    /// options <c>WebIdentityTokenFile</c>, <c>RoleArn</c> and <c>RoleSessionName</c> win over the variables.
    /// </summary>
    internal static CredentialSpec WebIdentityFromEnvironment(CloudCredentialsOptions options, string section)
    {
        const string name = AwsCredentialProviderNames.WebIdentity;
        bool fileFromOptions = AwsEnvironment.Setting(options.WebIdentityTokenFile, null) is not null;
        if (AwsEnvironment.Setting(options.WebIdentityTokenFile, AwsEnvironment.WebIdentityTokenFile) is not { } tokenFile)
        {
            return new DeclinedSpec(name, $"{AwsEnvironment.WebIdentityTokenFile} is not set", NotConfigured: true);
        }

        string fileSource = fileFromOptions ? $"{section}:WebIdentityTokenFile" : AwsEnvironment.WebIdentityTokenFile;
        if (AwsEnvironment.Setting(options.RoleArn, AwsEnvironment.RoleArn) is not { } roleArn)
        {
            return new DeclinedSpec(name, $"{fileSource} is set but {AwsEnvironment.RoleArn} is not; set the role to assume");
        }

        string? sessionName = AwsEnvironment.Setting(options.RoleSessionName, AwsEnvironment.RoleSessionName);
        if (sessionName is not null && !RoleSessionName.IsValid(sessionName))
        {
            return new DeclinedSpec(name, $"{AwsEnvironment.RoleSessionName} is invalid; {RoleSessionName.Rule}");
        }

        AwsStsEndpoint? endpoint = AwsStsEndpoint.Resolve((options.StsEndpoint, $"{section}:StsEndpoint"), (options.Region, $"{section}:Region"), new AwsProfileSpec(options, section, Strict: false).StsSettings(), out string? problem);
        return endpoint is null
            ? new DeclinedSpec(name, problem!)
            : new WebIdentitySpec(roleArn, tokenFile, sessionName, endpoint, null, null, fileSource);
    }

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CredentialChain(Policy, [.. Members.Select(m => m.Build(context))], [], context.TimeProvider, ClockSkew);
    }

    /// <summary>A container or IMDS member: declined = not configured; errors = configured but broken (stops the chain).</summary>
    private static CredentialSpec Member(string name, CredentialSpec? spec, List<string> errors) => spec switch
    {
        _ when errors.Count > 0 || spec is null => new DeclinedSpec(name, errors.Count > 0 ? string.Join("; ", errors) : "not usable"),
        DeclinedSpec declined => declined with { NotConfigured = true },
        _ => spec,
    };
}
