namespace CloudCredentials.Providers;

/// <summary>
/// A provider that reads a profile file on its first fetch (and again after a failure), builds the inner provider
/// the profile describes, keeps it, and names its credentials <c>{ProviderName}/{inner}</c>. Shared by the
/// CLI config.json and INI providers.
/// </summary>
internal abstract class ProfileProviderBase : ICredentialProvider
{
    private readonly object _gate = new();
    private ICredentialProvider? _inner;

    public abstract string ProviderName { get; }

    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            ICredentialProvider inner;
            lock (_gate)
            {
                inner = _inner ??= CreateInner();
            }

            CloudCredential credential = await inner.FetchAsync(cancellationToken).ConfigureAwait(false);
            return credential.WithProviderName(ProviderName + "/" + credential.ProviderName);
        }
        catch (CredentialUnavailableException ex) when (ex.ProviderName is not null && ex.ProviderName != ProviderName)
        {
            // Report under this provider's name (the default chain lists "cli_profile: ...", not the inner step),
            // keeping the inner provider's name and every detail of its failure.
            throw new CredentialUnavailableException(ProviderName, ex.ProviderName + ": " + (ex.Reason ?? ex.Message), ex)
            {
                Endpoint = ex.Endpoint,
                StatusCode = ex.StatusCode,
                ErrorCode = ex.ErrorCode,
                RequestId = ex.RequestId,
            };
        }
    }

    /// <summary>Reads the profile and builds its provider; throws a <see cref="CredentialUnavailableException"/> naming the file and problem.</summary>
    protected abstract ICredentialProvider CreateInner();
}
