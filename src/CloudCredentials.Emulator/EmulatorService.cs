namespace CloudCredentials.Emulator;

/// <summary>The emulated endpoints a fault can be injected into (see <see cref="CloudEmulator.InjectFault"/>).</summary>
public enum EmulatorService
{
    /// <summary>ECS metadata <c>PUT /latest/api/token</c> (any method on that path).</summary>
    MetadataToken,

    /// <summary>ECS metadata <c>GET /latest/meta-data/ram/security-credentials/</c> (the role name).</summary>
    MetadataRoleList,

    /// <summary>ECS metadata <c>GET /latest/meta-data/ram/security-credentials/{role}</c> (the credentials).</summary>
    MetadataCredentials,

    /// <summary>STS at <c>/</c>: <c>AssumeRole</c>, <c>AssumeRoleWithOIDC</c> and any other action.</summary>
    Sts,

    /// <summary>The credentials URI (<see cref="EmulatorOptions.CredentialsUriPath"/>).</summary>
    CredentialsUri,
}
