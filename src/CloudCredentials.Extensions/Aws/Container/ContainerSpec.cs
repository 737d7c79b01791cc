using CloudCredentials.Credentials;

namespace CloudCredentials.Aws.Container;

// PLACEHOLDER (awscore): exactly the contract signature of /work/notes/AWS_CONTRACT.md so the chain compiles before
// branch 'awsmeta' is merged. REMOVE this file when merging awsmeta (take awsmeta's ContainerSpec).

/// <summary>PLACEHOLDER for awsmeta's container credentials spec (contract signature only).</summary>
internal sealed record ContainerSpec(string? RelativeBaseOverride) : CredentialSpec
{
    /// <summary>PLACEHOLDER: declines when neither container variable is set, else a spec whose provider fails.</summary>
    public static CredentialSpec? Resolve(string? relativeBaseOverride, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return AwsEnvironment.Get(AwsEnvironment.ContainerRelativeUri) is null && AwsEnvironment.Get(AwsEnvironment.ContainerFullUri) is null
            ? new DeclinedSpec(AwsCredentialProviderNames.Container, $"neither {AwsEnvironment.ContainerRelativeUri} nor {AwsEnvironment.ContainerFullUri} is set")
            : new ContainerSpec(relativeBaseOverride);
    }

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
        => new DecliningProvider(AwsCredentialProviderNames.Container, "PLACEHOLDER: the container provider is on branch awsmeta");
}
