namespace CloudCredentials.Credentials;

/// <summary>Returns one fixed credential: <c>static_ak</c>, <c>static_sts</c> or <c>bearer</c>.</summary>
internal sealed class StaticCredentialProvider : ICredentialProvider
{
    private readonly CloudCredential _credential;

    /// <summary>Creates the provider.</summary>
    /// <param name="credential">The credential to return; its provider name is the provider's.</param>
    public StaticCredentialProvider(CloudCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _credential = credential;
    }

    /// <inheritdoc />
    public string ProviderName => _credential.ProviderName;

    /// <inheritdoc />
    public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken) => new(_credential);
}
