namespace CloudCredentials.Alibaba.EcsRamRole;

/// <summary>The resolved settings of an <see cref="EcsRamRoleProvider"/>.</summary>
/// <param name="RoleName">The RAM role name, or <see langword="null"/> to discover it from the metadata service.</param>
/// <param name="DisableImdsV1">Whether the fallback to IMDSv1 (requests without a session token) is disabled.</param>
/// <param name="MetadataEndpoint">The metadata service, normally <c>http://100.100.100.200</c>.</param>
internal sealed record EcsRamRoleSettings(string? RoleName, bool DisableImdsV1, Uri MetadataEndpoint);
