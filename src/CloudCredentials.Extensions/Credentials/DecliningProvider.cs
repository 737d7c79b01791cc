namespace CloudCredentials.Credentials;

/// <summary>A provider that always declines with a fixed reason, used where a source is configured but unusable (e.g. a plain-http credentials URI to a public host) so the default chain can report it and move on.</summary>
internal sealed class DecliningProvider : ICredentialProvider
{
    private readonly string _reason;

    public DecliningProvider(string providerName, string reason)
    {
        ProviderName = providerName;
        _reason = reason;
    }

    public string ProviderName { get; }

    public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
        => throw new CredentialUnavailableException(ProviderName, _reason, null);
}
