namespace CloudCredentials.Providers;

/// <summary>
/// A provider that reads a profile file on its first fetch (and again after a failure), builds the inner provider
/// the profile describes, keeps it, and names its credentials <c>{ProviderName}/{inner}</c>. Shared by the
/// CLI config.json and INI providers.
/// </summary>
/// <remarks>
/// When the inner provider fails and the file has changed since it was read (say after <c>aliyun sso login</c> or a
/// key rotation), the profile is read again and the fetch retried once, so a fix on disk takes effect without a restart.
/// </remarks>
internal abstract class ProfileProviderBase : ICredentialProvider
{
    private readonly object _gate = new();
    private Built? _built;

    public abstract string ProviderName { get; }

    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            Built built = GetOrBuild();
            try
            {
                return Named(await built.Provider.FetchAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (CredentialUnavailableException) when (built.FileChanged())
            {
                lock (_gate)
                {
                    if (ReferenceEquals(_built, built))
                    {
                        _built = null;
                    }
                }

                return Named(await GetOrBuild().Provider.FetchAsync(cancellationToken).ConfigureAwait(false));
            }
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
    /// <returns>The inner provider and the path of the file it was read from.</returns>
    protected abstract (ICredentialProvider Provider, string Path) CreateInner();

    private CloudCredential Named(CloudCredential credential) => credential.WithProviderName(ProviderName + "/" + credential.ProviderName);

    private Built GetOrBuild()
    {
        lock (_gate)
        {
            if (_built is null)
            {
                (ICredentialProvider provider, string path) = CreateInner();
                _built = new Built(provider, path, Stamp(path));
            }

            return _built;
        }
    }

    private static (DateTime, long) Stamp(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (DateTime.MinValue, -1);
        }
    }

    private sealed record Built(ICredentialProvider Provider, string Path, (DateTime, long) ReadStamp)
    {
        public bool FileChanged() => Stamp(Path) != ReadStamp;
    }
}
