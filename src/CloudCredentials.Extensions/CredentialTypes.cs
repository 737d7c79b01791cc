namespace CloudCredentials;

/// <summary>The credential type names used by <see cref="CloudCredential.Type"/> and the <c>Type</c> option.</summary>
public static class CredentialTypes
{
    /// <summary>A long-term AccessKey pair: <c>access_key</c>.</summary>
    public const string AccessKey = "access_key";

    /// <summary>An AccessKey pair with a security token: <c>sts</c>.</summary>
    public const string Sts = "sts";

    /// <summary>A bearer token: <c>bearer</c>.</summary>
    public const string Bearer = "bearer";

    /// <summary>STS AssumeRole: <c>ram_role_arn</c>.</summary>
    public const string RamRoleArn = "ram_role_arn";

    /// <summary>STS AssumeRoleWithOIDC: <c>oidc_role_arn</c>.</summary>
    public const string OidcRoleArn = "oidc_role_arn";

    /// <summary>ECS instance metadata RAM role: <c>ecs_ram_role</c>.</summary>
    public const string EcsRamRole = "ecs_ram_role";

    /// <summary>A credentials URI: <c>credentials_uri</c>.</summary>
    public const string CredentialsUri = "credentials_uri";

    /// <summary>The deprecated RSA key pair type, rejected with a clear error: <c>rsa_key_pair</c>.</summary>
    public const string RsaKeyPair = "rsa_key_pair";
}
