using CloudCredentials.Credentials;

namespace CloudCredentials.Aws.InstanceMetadata;

// PLACEHOLDER (awscore): exactly the contract signature of /work/notes/AWS_CONTRACT.md so the chain compiles before
// branch 'awsmeta' is merged. REMOVE this file when merging awsmeta (take awsmeta's InstanceMetadataSpec).

/// <summary>PLACEHOLDER for awsmeta's EC2 IMDS spec (contract signature only).</summary>
internal sealed record InstanceMetadataSpec(string? EndpointOverride) : CredentialSpec
{
    /// <summary>PLACEHOLDER: declines when <c>AWS_EC2_METADATA_DISABLED=true</c>, else a spec whose provider fails.</summary>
    public static CredentialSpec? Resolve(string? endpointOverride, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return AwsEnvironment.IsTrue(AwsEnvironment.Ec2MetadataDisabled)
            ? new DeclinedSpec(AwsCredentialProviderNames.InstanceMetadata, $"{AwsEnvironment.Ec2MetadataDisabled}=true")
            : new InstanceMetadataSpec(endpointOverride);
    }

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
        => new DecliningProvider(AwsCredentialProviderNames.InstanceMetadata, "PLACEHOLDER: the IMDS provider is on branch awsmeta");
}
