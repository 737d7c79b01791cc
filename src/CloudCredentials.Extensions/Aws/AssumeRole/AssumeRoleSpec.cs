using CloudCredentials.Aws.Sts;
using CloudCredentials.Caching;
using CloudCredentials.Credentials;

namespace CloudCredentials.Aws.AssumeRole;

/// <summary>
/// STS AssumeRole (<c>assume_role</c>), signed with SigV4 by the credential of <see cref="Source"/>, which is served by
/// an owned cache refreshed on its own: a chained role always signs with a fresh source credential.
/// </summary>
/// <param name="Source">The source credentials (static keys, the environment, another role, a container, IMDS, ...).</param>
/// <param name="Request">The role; <see cref="AwsRoleRequest.RoleSessionName"/> empty means the default per call.</param>
/// <param name="Endpoint">The STS endpoint.</param>
internal sealed record AssumeRoleSpec(CredentialSpec Source, AwsRoleRequest Request, AwsStsEndpoint Endpoint) : CredentialSpec
{
    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        CredentialCache source = context.CreateOwnedCache("assume_role-source", Source.Build(context));
        return new AssumeRoleProvider(this, source, context);
    }

    private sealed class AssumeRoleProvider(AssumeRoleSpec spec, ICredentialSource source, ProviderBuildContext context) : ICredentialProvider
    {
        public string ProviderName => AwsCredentialProviderNames.AssumeRole;

        public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
        {
            CloudCredential signing;
            try
            {
                signing = await source.GetCredentialAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CredentialUnavailableException ex)
            {
                throw new CredentialUnavailableException(ProviderName, $"no source credential to assume role {spec.Request.RoleArn} with: {ex.Message}", ex);
            }

            AwsRoleRequest request = spec.Request.RoleSessionName.Length == 0
                ? spec.Request with { RoleSessionName = RoleSessionName.OrDefault(null, context.TimeProvider) }
                : spec.Request;
            CloudCredential credential = await context.CreateAwsStsClient().AssumeRoleAsync(spec.Endpoint, request, signing, cancellationToken).ConfigureAwait(false);
            return credential.WithProviderName(AwsCredentialProviderNames.Join(ProviderName, signing.ProviderName));
        }
    }
}
