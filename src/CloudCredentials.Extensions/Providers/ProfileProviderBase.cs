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
        ICredentialProvider inner;
        lock (_gate)
        {
            inner = _inner ??= CreateInner();
        }

        CloudCredential credential = await inner.FetchAsync(cancellationToken).ConfigureAwait(false);
        return credential.WithProviderName(ProviderName + "/" + credential.ProviderName);
    }

    /// <summary>Reads the profile and builds its provider; throws a <see cref="CredentialUnavailableException"/> naming the file and problem.</summary>
    protected abstract ICredentialProvider CreateInner();
}
