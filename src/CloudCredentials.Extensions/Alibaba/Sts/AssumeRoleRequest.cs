namespace CloudCredentials.Alibaba.Sts;

/// <summary>The parameters of an STS AssumeRole call (none of them secret).</summary>
/// <param name="RoleArn">The role to assume.</param>
/// <param name="RoleSessionName">The session name (2–64 characters of letters, digits, <c>. @ - _</c>).</param>
/// <param name="DurationSeconds">The session duration, at least 900.</param>
/// <param name="Policy">An optional policy restricting the session; sent only when non-empty.</param>
/// <param name="ExternalId">An optional external id; sent only when non-empty.</param>
internal sealed record AssumeRoleRequest(
    string RoleArn,
    string RoleSessionName,
    int DurationSeconds,
    string? Policy = null,
    string? ExternalId = null);
