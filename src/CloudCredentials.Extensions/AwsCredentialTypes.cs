namespace CloudCredentials;

/// <summary>
/// The <c>Type</c> values of a registration with <c>Cloud</c> <c>aws</c>, also used as <see cref="CloudCredential.Type"/>
/// of the credentials the AWS providers produce. No <c>Type</c> (or <c>default</c>) means the AWS default chain.
/// </summary>
public static class AwsCredentialTypes
{
    /// <summary>An access key pair, with an optional session token (<c>AccessKeyId</c>, <c>AccessKeySecret</c>, <c>SecurityToken</c>): <c>access_key</c>.</summary>
    public const string AccessKey = "access_key";

    /// <summary>STS AssumeRole signed with the registration's access key or a profile's credentials: <c>assume_role</c>.</summary>
    public const string AssumeRole = "assume_role";

    /// <summary>STS AssumeRoleWithWebIdentity with a token file: <c>web_identity</c>.</summary>
    public const string WebIdentity = "web_identity";

    /// <summary>The ECS / EKS Pod Identity container credentials endpoint: <c>container</c>.</summary>
    public const string Container = "container";

    /// <summary>EC2 instance metadata (IMDS) role credentials: <c>instance_metadata</c>.</summary>
    public const string InstanceMetadata = "instance_metadata";

    /// <summary>A <c>credential_process</c> command: <c>process</c>.</summary>
    public const string Process = "process";

    /// <summary>One profile of the shared <c>config</c> / <c>credentials</c> files (<c>Profile</c>): <c>profile</c>.</summary>
    public const string Profile = "profile";

    /// <summary>The AWS default chain, the same as no <c>Type</c>: <c>default</c>.</summary>
    public const string Default = "default";
}
