using CloudCredentials.Credentials;
using CloudCredentials.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.EcsRamRole;

/// <summary>The ECS instance metadata RAM role (<c>ecs_ram_role</c>), resolved by <see cref="Resolve"/>.</summary>
/// <param name="RoleName">The RAM role name, or <see langword="null"/> to discover it from the metadata service.</param>
/// <param name="DisableImdsV1">Whether the fallback to IMDSv1 (requests without a session token) is disabled.</param>
/// <param name="MetadataEndpoint">The metadata service, normally <c>http://100.100.100.200</c>.</param>
internal sealed record EcsRamRoleSpec(string? RoleName, bool DisableImdsV1, Uri MetadataEndpoint) : CredentialSpec
{
    /// <summary>The real ECS metadata address; only contacted when nothing overrides it.</summary>
    public const string DefaultMetadataEndpoint = "http://100.100.100.200";

    /// <summary>
    /// Gets, for the default chain's member only, how long "the metadata service did not answer a short probe" is
    /// remembered (<c>MetadataUnreachableTtl</c>; see <see cref="MetadataReachability"/>). <see langword="null"/> for an
    /// explicit <c>ecs_ram_role</c>, which does not probe and keeps its normal retries.
    /// </summary>
    public TimeSpan? UnreachableTtl { get; init; }

    /// <summary>
    /// Applies the ECS policy once, for the typed options, the default chain and profiles alike:
    /// <c>ALIBABA_CLOUD_ECS_METADATA_DISABLED=true</c> declines; the role name falls back to
    /// <c>ALIBABA_CLOUD_ECS_METADATA</c>; IMDSv1 is disabled when the profile, <c>DisableIMDSv1</c> or
    /// <c>ALIBABA_CLOUD_IMDSV1_DISABLED</c> (or its older spelling) says so — a <c>false</c> in settings cannot loosen the
    /// operator's variable, which can only tighten; the endpoint is <c>MetadataEndpoint</c> or the real address.
    /// </summary>
    /// <param name="roleName">The configured role name, or <see langword="null"/>.</param>
    /// <param name="disableImdsV1">The profile's IMDSv1 switch, or <see langword="null"/>; <see langword="true"/> disables IMDSv1, <see langword="false"/> does not override the options' or the environment's <see langword="true"/>.</param>
    /// <param name="options">The registration's options.</param>
    /// <returns>An <see cref="EcsRamRoleSpec"/>, or a <see cref="DeclinedSpec"/> when IMDS is disabled.</returns>
    public static CredentialSpec Resolve(string? roleName, bool? disableImdsV1, CloudCredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (AlibabaEnvironment.GetBool(AlibabaEnvironment.EcsMetadataDisabled))
        {
            return new DeclinedSpec(CredentialProviderNames.EcsRamRole, $"IMDS credentials are disabled by {AlibabaEnvironment.EcsMetadataDisabled}=true");
        }

        string? role = string.IsNullOrWhiteSpace(roleName) ? AlibabaEnvironment.Get(AlibabaEnvironment.EcsMetadata) : roleName;
        return new EcsRamRoleSpec(
            role?.Trim(),
            disableImdsV1 == true || options.DisableIMDSv1 == true || AlibabaEnvironment.ImdsV1DisabledByEnvironment,
            new Uri(string.IsNullOrWhiteSpace(options.MetadataEndpoint) ? DefaultMetadataEndpoint : options.MetadataEndpoint, UriKind.Absolute));
    }

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ImdsTokenCache tokens = context.Services.GetRequiredService<ImdsTokenCache>();
        ILogger logger = context.LoggerFactory.CreateLogger<EcsMetadataClient>();
        MetadataReachability? reachability = UnreachableTtl is { } ttl
            ? new MetadataReachability(
                () => new ImdsSession(context.CreateHttpClient(CloudCredentialsHttpClients.MetadataProbe), tokens, context.TimeProvider, logger),
                context.TimeProvider,
                ttl,
                logger)
            : null;
        return new EcsRamRoleProvider(
            this,
            () => new EcsMetadataClient(context.CreateHttpClient(CloudCredentialsHttpClients.Metadata), tokens, context.TimeProvider, logger),
            reachability);
    }
}
