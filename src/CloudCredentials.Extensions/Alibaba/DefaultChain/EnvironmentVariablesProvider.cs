namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// The <c>env</c> provider: <c>ALIBABA_CLOUD_ACCESS_KEY_ID</c> and <c>ALIBABA_CLOUD_ACCESS_KEY_SECRET</c>, plus
/// <c>ALIBABA_CLOUD_SECURITY_TOKEN</c> when set. Read on every fetch, so a variable exported later is picked up
/// when the default chain walks again.
/// </summary>
internal sealed class EnvironmentVariablesProvider : ICredentialProvider
{
    public const string Name = CredentialProviderNames.Environment;

    public string ProviderName => Name;

    public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        string? id = AlibabaEnvironment.Get(AlibabaEnvironment.AccessKeyId);
        string? secret = AlibabaEnvironment.Get(AlibabaEnvironment.AccessKeySecret);
        if (id is null)
        {
            throw new CredentialUnavailableException(Name, $"{AlibabaEnvironment.AccessKeyId} is not set", null);
        }

        if (secret is null)
        {
            throw new CredentialUnavailableException(Name, $"{AlibabaEnvironment.AccessKeyId} is set but {AlibabaEnvironment.AccessKeySecret} is not", null);
        }

        string? token = AlibabaEnvironment.Get(AlibabaEnvironment.SecurityToken);
        var credential = new CloudCredential(token is null ? CredentialTypes.AccessKey : CredentialTypes.Sts, Name)
        {
            AccessKeyId = id,
            AccessKeySecret = secret,
            SecurityToken = token,
        };
        return new ValueTask<CloudCredential>(credential);
    }
}
