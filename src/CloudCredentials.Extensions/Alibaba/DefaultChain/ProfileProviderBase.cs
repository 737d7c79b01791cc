using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// A provider that reads a profile file on its first fetch (and again after a failure), builds the inner provider
/// the profile describes, keeps it, and names its credentials <c>{ProviderName}/{inner}</c>. Shared by the
/// CLI config.json and INI providers.
/// </summary>
/// <remarks>
/// When the inner provider fails and the profile on disk now describes a different source (after
/// <c>aliyun sso login</c>, a key rotation), the inner provider is rebuilt and the fetch retried once, so a fix on
/// disk takes effect without a restart. The library's own write-backs (OAuth tokens, External results) change the
/// file but not the description, so they never cause a rebuild.
/// </remarks>
internal abstract class ProfileProviderBase : ICredentialProvider
{
    private readonly Func<CredentialSpec, ICredentialProvider> _build;
    private readonly object _gate = new();
    private Built? _built;

    protected ProfileProviderBase(Func<CredentialSpec, ICredentialProvider> build) => _build = build;

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
            catch (CredentialUnavailableException) when (DescriptionChanged(built))
            {
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

    /// <summary>Finds the profile file; throws a <see cref="CredentialUnavailableException"/> saying where it looked.</summary>
    protected abstract string ResolvePath();

    /// <summary>Reads the profile from <paramref name="path"/>; throws a <see cref="CredentialUnavailableException"/> naming the file and problem.</summary>
    protected abstract CredentialSpec ReadSpec(string path);

    private CloudCredential Named(CloudCredential credential) => credential.WithProviderName(ProviderName + "/" + credential.ProviderName);

    private Built GetOrBuild()
    {
        lock (_gate)
        {
            if (_built is null)
            {
                string path = ResolvePath();
                FileStamp stamp = FileStamp.Of(path); // before reading: a write during the read is noticed later
                CredentialSpec spec = ReadSpec(path);
                _built = new Built(_build(spec), path, stamp, spec);
            }

            return _built;
        }
    }

    /// <summary>
    /// After the inner provider failed: whether the file now describes another source, in which case the next
    /// <see cref="GetOrBuild"/> rebuilds. An unchanged description just refreshes the remembered stamp.
    /// </summary>
    private bool DescriptionChanged(Built built)
    {
        FileStamp stamp = FileStamp.Of(built.Path);
        if (stamp == built.Stamp)
        {
            return false;
        }

        CredentialSpec? spec;
        try
        {
            spec = ReadSpec(built.Path);
        }
        catch (CredentialUnavailableException)
        {
            spec = null; // now broken: rebuilding reports the file's problem
        }

        lock (_gate)
        {
            if (!ReferenceEquals(_built, built))
            {
                return true; // another caller rebuilt meanwhile
            }

            if (spec is not null && spec == built.Spec)
            {
                _built = built with { Stamp = stamp };
                return false;
            }

            _built = null;
            return true;
        }
    }

    private readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
    {
        public static FileStamp Of(string path)
        {
            try
            {
                var info = new FileInfo(path);
                return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : new FileStamp(DateTime.MinValue, -1);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new FileStamp(DateTime.MinValue, -1);
            }
        }
    }

    private sealed record Built(ICredentialProvider Provider, string Path, FileStamp Stamp, CredentialSpec Spec);
}
