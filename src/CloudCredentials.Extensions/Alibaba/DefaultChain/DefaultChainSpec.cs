using CloudCredentials.Alibaba.CredentialsUri;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Credentials;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// The default chain (spec section 0) as the environment and options describe it now: env → OIDC → CLI config.json →
/// INI → ECS RAM role → credentials URI. <see cref="Resolve"/> is the chain's mapping step: it decides which members
/// exist and why the others are skipped; <see cref="Build"/> only builds them.
/// </summary>
/// <param name="Members">The members, in order.</param>
/// <param name="Skipped">Why the absent members were skipped, reported when every member declines.</param>
/// <param name="ClockSkew">How early a remembered member's credential counts as expired.</param>
internal sealed record DefaultChainSpec(IReadOnlyList<CredentialSpec> Members, IReadOnlyList<string> Skipped, TimeSpan ClockSkew) : CredentialSpec
{
    /// <summary>Maps the environment and the options to the chain's members.</summary>
    /// <param name="options">The registration's options.</param>
    /// <returns>The chain.</returns>
    public static DefaultChainSpec Resolve(CloudCredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var members = new List<CredentialSpec> { new EnvironmentSpec() };
        var skipped = new List<string>();

        string? roleArn = AlibabaEnvironment.Get(AlibabaEnvironment.RoleArn);
        string? oidcProviderArn = AlibabaEnvironment.Get(AlibabaEnvironment.OidcProviderArn);
        string? oidcTokenFile = AlibabaEnvironment.Get(AlibabaEnvironment.OidcTokenFile);
        if (roleArn is not null && oidcProviderArn is not null && oidcTokenFile is not null)
        {
            try
            {
                RoleSessionParameters session = RoleSessionParameters.Resolve(
                    CredentialProviderNames.OidcRoleArn,
                    roleArn,
                    // Configuration first, then the variable (one rule with the typed oidc_role_arn and ram_role_arn).
                    string.IsNullOrWhiteSpace(options.RoleSessionName) ? AlibabaEnvironment.Get(AlibabaEnvironment.RoleSessionName) : options.RoleSessionName,
                    null,
                    options.Policy,
                    null,
                    null,
                    null,
                    options);
                members.Add(new OidcRoleArnSpec(session, oidcProviderArn, oidcTokenFile));
            }
            catch (CredentialUnavailableException ex)
            {
                // Only this member needs the STS endpoint (a bad ALIBABA_CLOUD_STS_REGION, say): it declines, naming
                // the problem in the chain's error, and the other members still serve.
                members.Add(new DeclinedSpec(CredentialProviderNames.OidcRoleArn, ex.Reason ?? ex.Message));
            }
        }
        else
        {
            skipped.Add($"{CredentialProviderNames.OidcRoleArn} (needs {AlibabaEnvironment.RoleArn}, {AlibabaEnvironment.OidcProviderArn} and {AlibabaEnvironment.OidcTokenFile})");
        }

        if (AlibabaEnvironment.GetBool(AlibabaEnvironment.CliProfileDisabled))
        {
            skipped.Add($"{CredentialProviderNames.CliProfile} ({AlibabaEnvironment.CliProfileDisabled}=true)");
        }
        else
        {
            members.Add(new CliProfileSpec(options));
        }

        members.Add(new IniProfileSpec(options));

        CredentialSpec ecs = EcsRamRoleSpec.Resolve(options.RoleName, null, options);
        if (ecs is DeclinedSpec)
        {
            skipped.Add($"{CredentialProviderNames.EcsRamRole} ({AlibabaEnvironment.EcsMetadataDisabled}=true)");
        }
        else
        {
            // Off ECS nothing answers there: one short probe, then "unreachable" is remembered (MetadataUnreachableTtl).
            members.Add(ecs is EcsRamRoleSpec member ? member with { UnreachableTtl = options.MetadataUnreachableTtl } : ecs);
        }

        string? uri = AlibabaEnvironment.Get(AlibabaEnvironment.CredentialsUri);
        if (uri is not null)
        {
            members.Add(CredentialsUriSpec.Resolve(uri, options));
        }
        else
        {
            skipped.Add($"credential_uri ({AlibabaEnvironment.CredentialsUri} is not set)");
        }

        return new DefaultChainSpec(members, skipped, options.Refresh.ClockSkew);
    }

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new DefaultCredentialChain([.. Members.Select(m => m.Build(context))], Skipped, context.TimeProvider, ClockSkew);
    }

    /// <summary>The <c>env</c> member.</summary>
    private sealed record EnvironmentSpec : CredentialSpec
    {
        public override ICredentialProvider Build(ProviderBuildContext context) => new EnvironmentVariablesProvider();
    }

    /// <summary>The <c>cli_profile</c> member; the profile is read, mapped and built on its first fetch.</summary>
    private sealed record CliProfileSpec(CloudCredentialsOptions Options) : CredentialSpec
    {
        public override ICredentialProvider Build(ProviderBuildContext context)
            => new CliProfileProvider(Options, Options.ConfigFile, Options.Profile, spec => spec.Build(context), context.LoggerFactory.CreateLogger<CliProfileProvider>());
    }

    /// <summary>The <c>profile</c> (INI) member; the section is read, mapped and built on its first fetch.</summary>
    private sealed record IniProfileSpec(CloudCredentialsOptions Options) : CredentialSpec
    {
        public override ICredentialProvider Build(ProviderBuildContext context)
            => new IniProfileProvider(Options, Options.Profile, spec => spec.Build(context));
    }
}
