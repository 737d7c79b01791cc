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

    /// <summary>
    /// Alibaba STS RPC (signature V2) at <c>/</c>: <c>AssumeRole</c>, <c>AssumeRoleWithOIDC</c> and any other action. The
    /// V3-signed calls at <c>/</c> are <see cref="StsV3"/>, so an STS outage does not stop calls made with a cached credential.
    /// </summary>
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

    /// <summary>Alibaba STS V3-signed (<c>ACS3-HMAC-SHA256</c>) calls at <c>/</c>, such as <c>GetCallerIdentity</c>.</summary>
    StsV3,
}
