using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Caching;
using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.RamRoleArn;

/// <summary>STS AssumeRole (<c>ram_role_arn</c>), signed with the credential of <see cref="Source"/>.</summary>
/// <param name="Source">The source of the signing credential (an AccessKey, an STS token, or a whole chained profile).</param>
/// <param name="Session">The role-session parameters.</param>
/// <param name="ExternalId">An optional external id.</param>
internal sealed record RamRoleArnSpec(CredentialSpec Source, RoleSessionParameters Session, string? ExternalId) : CredentialSpec
{
    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ICredentialProvider source = Source.Build(context);
        CredentialCache signing = context.CreateOwnedCache("signing", source);
        return new RamRoleArnProvider(signing, Session.WithDefaultSessionName(context.TimeProvider), ExternalId, context.CreateStsClient);
    }
}
