namespace CloudCredentials.Credentials;

/// <summary>
/// A validated description of one credential source, produced from options, a CLI profile or an INI section,
/// and turned into an <see cref="ICredentialProvider"/> in exactly one place (the provider factory). Keeping
/// parsing apart from building lets every source be validated at startup without any I/O.
/// </summary>
internal abstract record CredentialSpec
{
    /// <summary>A long-term AccessKey pair (<c>static_ak</c>).</summary>
    public sealed record AccessKey(string AccessKeyId, string AccessKeySecret) : CredentialSpec
    {
        public override string ToString() => $"AccessKey {{ AccessKeyId = {CloudCredential.MaskAccessKeyId(AccessKeyId)} }}";
    }

    /// <summary>An STS token (<c>static_sts</c>).</summary>
    public sealed record StsToken(string AccessKeyId, string AccessKeySecret, string SecurityToken) : CredentialSpec
    {
        public override string ToString() => $"StsToken {{ AccessKeyId = {CloudCredential.MaskAccessKeyId(AccessKeyId)} }}";
    }

    /// <summary>A bearer token (<c>bearer</c>).</summary>
    public sealed record Bearer(string BearerToken) : CredentialSpec
    {
        public override string ToString() => "Bearer { }";
    }

    /// <summary>STS AssumeRole signed with the credential of <see cref="Source"/>.</summary>
    public sealed record RamRoleArn(
        CredentialSpec Source,
        string RoleArn,
        string? RoleSessionName,
        int? DurationSeconds,
        string? Policy,
        string? ExternalId,
        string? StsEndpoint,
        string? StsRegionId,
        bool? EnableVpc) : CredentialSpec;

    /// <summary>STS AssumeRoleWithOIDC.</summary>
    public sealed record OidcRoleArn(
        string RoleArn,
        string OidcProviderArn,
        string OidcTokenFilePath,
        string? RoleSessionName,
        int? DurationSeconds,
        string? Policy,
        string? StsEndpoint,
        string? StsRegionId,
        bool? EnableVpc) : CredentialSpec;

    /// <summary>ECS instance metadata RAM role.</summary>
    public sealed record EcsRamRole(string? RoleName, bool? DisableImdsV1) : CredentialSpec;

    /// <summary>A credentials URI.</summary>
    public sealed record CredentialsUri(string Uri) : CredentialSpec;

    /// <summary>A CLI CloudSSO profile.</summary>
    public sealed record CloudSso(string SignInUrl, string AccountId, string AccessConfig, string? AccessToken, long AccessTokenExpire, string? ProfileName) : CredentialSpec
    {
        public override string ToString() => $"CloudSso {{ SignInUrl = {SignInUrl}, AccountId = {AccountId}, AccessConfig = {AccessConfig}, ProfileName = {ProfileName} }}";
    }

    /// <summary>A CLI OAuth profile; the provider re-reads the profile from <see cref="ConfigPath"/> on each fetch.</summary>
    public sealed record OAuth(string ConfigPath, string ProfileName, string SiteType) : CredentialSpec;

    /// <summary>A CLI External profile (<c>process_command</c>).</summary>
    public sealed record External(string Command, string? ConfigPath, string? ProfileName) : CredentialSpec
    {
        public override string ToString() => $"External {{ ProfileName = {ProfileName} }}";
    }
}
