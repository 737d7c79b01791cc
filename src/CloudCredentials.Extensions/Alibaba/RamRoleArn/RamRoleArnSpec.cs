using CloudCredentials.Alibaba.Sts;

namespace CloudCredentials.Alibaba.RamRoleArn;

/// <summary>The resolved settings of a <see cref="RamRoleArnProvider"/> (env fallbacks and defaults already applied).</summary>
/// <param name="RoleArn">The role to assume.</param>
/// <param name="RoleSessionName">The session name, such as <c>credentials-dotnet-&lt;unix ms&gt;</c>.</param>
/// <param name="DurationSeconds">The session duration (at least 900; default 3600).</param>
/// <param name="Policy">An optional policy restricting the session.</param>
/// <param name="ExternalId">An optional external id.</param>
/// <param name="StsEndpoint">The STS endpoint, from <see cref="StsEndpointResolver"/>.</param>
internal sealed record RamRoleArnSettings(
    string RoleArn,
    string RoleSessionName,
    int DurationSeconds,
    string? Policy,
    string? ExternalId,
    Uri StsEndpoint);
