namespace CloudCredentials;

/// <summary>
/// The values of <see cref="CloudCredential.ProviderName"/> and <see cref="CredentialUnavailableException.ProviderName"/>
/// of the AWS family, all prefixed <c>aws/</c>. A composed source joins names with <c>/</c>, outer first, with one
/// <c>aws/</c> prefix: <c>aws/default/profile/assume_role/static</c> is a role assumed with a profile's static keys,
/// found by the default chain.
/// </summary>
public static class AwsCredentialProviderNames
{
    /// <summary>The prefix of every AWS provider name: <c>aws/</c>.</summary>
    public const string Prefix = "aws/";

    /// <summary>The AWS default chain: <c>aws/default</c>.</summary>
    public const string Default = "aws/default";

    /// <summary>The <c>AWS_ACCESS_KEY_ID</c> / <c>AWS_SECRET_ACCESS_KEY</c> / <c>AWS_SESSION_TOKEN</c> variables: <c>aws/env</c>.</summary>
    public const string Environment = "aws/env";

    /// <summary>A configured access key (Type <c>access_key</c>) or a profile's static keys: <c>aws/static</c>.</summary>
    public const string Static = "aws/static";

    /// <summary>A profile of the shared config / credentials files: <c>aws/profile</c>.</summary>
    public const string Profile = "aws/profile";

    /// <summary>STS AssumeRole: <c>aws/assume_role</c>.</summary>
    public const string AssumeRole = "aws/assume_role";

    /// <summary>STS AssumeRoleWithWebIdentity: <c>aws/web_identity</c>.</summary>
    public const string WebIdentity = "aws/web_identity";

    /// <summary>The container credentials endpoint: <c>aws/container</c>.</summary>
    public const string Container = "aws/container";

    /// <summary>EC2 instance metadata: <c>aws/instance_metadata</c>.</summary>
    public const string InstanceMetadata = "aws/instance_metadata";

    /// <summary>A <c>credential_process</c> command: <c>aws/process</c>.</summary>
    public const string Process = "aws/process";

    /// <summary>Joins an outer and an inner provider name with one <c>aws/</c> prefix: (<c>aws/default</c>, <c>aws/env</c>) → <c>aws/default/env</c>.</summary>
    /// <param name="outer">The outer name, such as <c>aws/default</c>.</param>
    /// <param name="inner">The inner name, such as <c>aws/env</c>.</param>
    /// <returns>The joined name.</returns>
    public static string Join(string outer, string inner)
    {
        ArgumentNullException.ThrowIfNull(outer);
        ArgumentNullException.ThrowIfNull(inner);
        return outer + "/" + (inner.StartsWith(Prefix, StringComparison.Ordinal) ? inner[Prefix.Length..] : inner);
    }
}
