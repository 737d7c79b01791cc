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

    /// <summary>Alibaba STS at <c>/</c>: <c>AssumeRole</c>, <c>AssumeRoleWithOIDC</c>, the V3-signed <c>GetCallerIdentity</c> and any other action.</summary>
    Sts,

    /// <summary>The credentials URI (<see cref="EmulatorOptions.CredentialsUriPath"/>).</summary>
    CredentialsUri,

    /// <summary>The ROA-style V3 echo route under <c>/roa/echo</c>.</summary>
    RoaEcho,

    /// <summary>AWS EC2 metadata <c>PUT /latest/api/token</c> (a request carrying <c>X-aws-ec2-metadata-token-ttl-seconds</c>).</summary>
    AwsImdsToken,

    /// <summary>AWS EC2 metadata <c>GET /latest/meta-data/iam/security-credentials/</c> (the role list).</summary>
    AwsImdsRoleList,

    /// <summary>AWS EC2 metadata <c>GET /latest/meta-data/iam/security-credentials/{role}</c> (the credentials).</summary>
    AwsImdsCredentials,

    /// <summary>The AWS container credentials endpoint (<see cref="AwsEmulatorOptions.ContainerPath"/>).</summary>
    AwsContainer,

    /// <summary>AWS STS at <c>/</c> (<c>Version=2011-06-15</c> or a SigV4 <c>Authorization</c>): every action.</summary>
    AwsSts,
}
