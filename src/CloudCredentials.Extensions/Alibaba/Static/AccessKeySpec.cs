using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.Static;

/// <summary>A long-term AccessKey pair (<c>access_key</c>, provider <c>static_ak</c>).</summary>
/// <param name="AccessKeyId">The AccessKey id.</param>
/// <param name="AccessKeySecret">The AccessKey secret.</param>
internal sealed record AccessKeySpec(string AccessKeyId, string AccessKeySecret) : CredentialSpec
{
    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context) => new StaticCredentialProvider(
        new CloudCredential(CredentialTypes.AccessKey, CredentialProviderNames.StaticAccessKey)
        {
            AccessKeyId = AccessKeyId,
            AccessKeySecret = AccessKeySecret,
        });

    /// <summary>Describes the spec with a masked key id and no secret.</summary>
    public override string ToString() => $"AccessKeySpec {{ AccessKeyId = {CloudCredential.MaskAccessKeyId(AccessKeyId)} }}";
}
