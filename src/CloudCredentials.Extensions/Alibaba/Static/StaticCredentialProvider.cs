using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.Static;

/// <summary>Returns one fixed credential: <c>static_ak</c>, <c>static_sts</c> or <c>bearer</c>.</summary>
internal sealed class StaticCredentialProvider : ICredentialProvider
{
    private readonly CloudCredential _credential;

    private StaticCredentialProvider(CloudCredential credential) => _credential = credential;

    public string ProviderName => _credential.ProviderName;

    public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken) => new(_credential);

    public static StaticCredentialProvider FromSpec(CredentialSpec spec) => spec switch
    {
        CredentialSpec.AccessKey ak => new(new CloudCredential(CredentialTypes.AccessKey, "static_ak")
        {
            AccessKeyId = ak.AccessKeyId,
            AccessKeySecret = ak.AccessKeySecret,
        }),
        CredentialSpec.StsToken sts => new(new CloudCredential(CredentialTypes.Sts, "static_sts")
        {
            AccessKeyId = sts.AccessKeyId,
            AccessKeySecret = sts.AccessKeySecret,
            SecurityToken = sts.SecurityToken,
        }),
        CredentialSpec.Bearer b => new(new CloudCredential(CredentialTypes.Bearer, "bearer") { BearerToken = b.BearerToken }),
        _ => throw new ArgumentException($"{spec.GetType().Name} is not a static credential", nameof(spec)),
    };
}
