using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.Static;

/// <summary>A configured STS token (<c>sts</c>, provider <c>static_sts</c>).</summary>
/// <param name="AccessKeyId">The AccessKey id.</param>
/// <param name="AccessKeySecret">The AccessKey secret.</param>
/// <param name="SecurityToken">The security token.</param>
internal sealed record StsTokenSpec(string AccessKeyId, string AccessKeySecret, string SecurityToken) : CredentialSpec
{
    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context) => new StaticCredentialProvider(
        new CloudCredential(CredentialTypes.Sts, CredentialProviderNames.StaticSts)
        {
            AccessKeyId = AccessKeyId,
            AccessKeySecret = AccessKeySecret,
            SecurityToken = SecurityToken,
        });

    /// <summary>Describes the spec with a masked key id and no secret.</summary>
    public override string ToString() => $"StsTokenSpec {{ AccessKeyId = {CloudCredential.MaskAccessKeyId(AccessKeyId)} }}";
}
