namespace CloudCredentials.Tests.TestSupport;

/// <summary>A fixed credential source for signing.</summary>
internal sealed class StaticSource(CloudCredential credential) : ICredentialSource
{
    public int Calls { get; private set; }

    public static StaticSource AccessKey(string id, string secret) =>
        new(new CloudCredential(CredentialTypes.AccessKey, "static_ak") { AccessKeyId = id, AccessKeySecret = secret });

    public ValueTask<CloudCredential> GetCredentialAsync(CancellationToken cancellationToken = default)
    {
        Calls++;
        return ValueTask.FromResult(credential);
    }
}
