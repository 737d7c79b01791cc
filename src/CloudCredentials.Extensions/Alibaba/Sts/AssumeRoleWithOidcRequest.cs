using System.Text;
using CloudCredentials.Internal;

namespace CloudCredentials.Alibaba.Sts;

/// <summary>The parameters of an STS AssumeRoleWithOIDC call. <see cref="ToString"/> never prints the token.</summary>
/// <param name="RoleArn">The role to assume.</param>
/// <param name="OidcProviderArn">The ARN of the OIDC identity provider.</param>
/// <param name="OidcToken">The OIDC token (secret).</param>
/// <param name="RoleSessionName">The session name.</param>
/// <param name="DurationSeconds">The session duration, at least 900.</param>
/// <param name="Policy">An optional policy restricting the session; sent only when non-empty.</param>
internal sealed record AssumeRoleWithOidcRequest(
    string RoleArn,
    string OidcProviderArn,
    string OidcToken,
    string RoleSessionName,
    int DurationSeconds,
    string? Policy = null)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("RoleArn = ").Append(RoleArn)
            .Append(", OidcProviderArn = ").Append(OidcProviderArn)
            .Append(", OidcToken = ").Append(SecretRedactor.Mask)
            .Append(", RoleSessionName = ").Append(RoleSessionName)
            .Append(", DurationSeconds = ").Append(DurationSeconds);
        return true;
    }
}
