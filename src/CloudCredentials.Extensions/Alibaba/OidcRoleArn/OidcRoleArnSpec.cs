using CloudCredentials.Alibaba.Sts;

namespace CloudCredentials.Alibaba.OidcRoleArn;

/// <summary>The resolved settings of an <see cref="OidcRoleArnProvider"/> (env fallbacks and defaults already applied).</summary>
/// <param name="RoleArn">The role to assume.</param>
/// <param name="OidcProviderArn">The ARN of the OIDC identity provider.</param>
/// <param name="OidcTokenFilePath">The token file, re-read on every fetch.</param>
/// <param name="RoleSessionName">The session name.</param>
/// <param name="DurationSeconds">The session duration (at least 900; default 3600).</param>
/// <param name="Policy">An optional policy restricting the session.</param>
/// <param name="StsEndpoint">The STS endpoint, from <see cref="StsEndpointResolver"/>.</param>
internal sealed record OidcRoleArnSettings(
    string RoleArn,
    string OidcProviderArn,
    string OidcTokenFilePath,
    string RoleSessionName,
    int DurationSeconds,
    string? Policy,
    Uri StsEndpoint);
