using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.OidcRoleArn;

/// <summary>STS AssumeRoleWithOIDC (<c>oidc_role_arn</c>) with the token read from a file on every fetch.</summary>
/// <param name="Session">The role-session parameters.</param>
/// <param name="OidcProviderArn">The ARN of the OIDC identity provider.</param>
/// <param name="OidcTokenFilePath">The token file, re-read on every fetch.</param>
internal sealed record OidcRoleArnSpec(RoleSessionParameters Session, string OidcProviderArn, string OidcTokenFilePath) : CredentialSpec
{
    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new OidcRoleArnProvider(this with { Session = Session.WithDefaultSessionName(context.TimeProvider) }, context.CreateStsClient);
    }
}
