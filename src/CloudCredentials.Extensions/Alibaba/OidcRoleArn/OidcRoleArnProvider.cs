using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Internal;

namespace CloudCredentials.Alibaba.OidcRoleArn;

/// <summary>
/// <c>oidc_role_arn</c>: STS AssumeRoleWithOIDC with the token read from a file. The file is read again on every
/// fetch (the platform rotates it) and trimmed of surrounding whitespace. Only a regular file of at most 64 KiB is
/// read (see <see cref="BoundedFileReader"/>): a FIFO or a device fails at once instead of blocking the fetch.
/// </summary>
internal sealed class OidcRoleArnProvider : ICredentialProvider
{
    private readonly OidcRoleArnSpec _spec;
    private readonly Func<StsClient> _sts;

    /// <summary>Creates the provider.</summary>
    /// <param name="spec">The role, OIDC provider, token file and session parameters, with the session name set.</param>
    /// <param name="sts">Creates an STS client (from <see cref="IHttpClientFactory"/>) for each fetch.</param>
    public OidcRoleArnProvider(OidcRoleArnSpec spec, Func<StsClient> sts)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sts);
        _spec = spec;
        _sts = sts;
    }

    /// <inheritdoc />
    public string ProviderName => CredentialProviderNames.OidcRoleArn;

    /// <inheritdoc />
    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string token = ReadToken();
        var request = new AssumeRoleWithOidcRequest(
            _spec.Session.RoleArn,
            _spec.OidcProviderArn,
            token,
            _spec.Session.RequireSessionName(),
            _spec.Session.DurationSeconds,
            _spec.Session.Policy);
        return await _sts().AssumeRoleWithOidcAsync(_spec.Session.StsEndpoint, request, cancellationToken).ConfigureAwait(false);
    }

    private string ReadToken()
    {
        string path = _spec.OidcTokenFilePath;
        string content;
        try
        {
            content = BoundedFileReader.ReadAllText(path, BoundedFileReader.TokenFileMaxBytes);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CredentialUnavailableException(
                ProviderName,
                $"the OIDC token file {path} does not exist. Check OIDCTokenFilePath (ALIBABA_CLOUD_OIDC_TOKEN_FILE) and that the token volume is mounted.",
                ex);
        }
        catch (InvalidDataException ex)
        {
            // A FIFO, a device or a directory, or far too large: the message names the file and the problem.
            throw new CredentialUnavailableException(
                ProviderName,
                $"the OIDC token file cannot be read: {ex.Message}. Check OIDCTokenFilePath (ALIBABA_CLOUD_OIDC_TOKEN_FILE) and that the token volume is mounted.",
                null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CredentialUnavailableException(
                ProviderName,
                $"the OIDC token file {path} cannot be read: {ex.GetType().Name}: {ex.Message} Check OIDCTokenFilePath (ALIBABA_CLOUD_OIDC_TOKEN_FILE) and the file's permissions.",
                ex);
        }

        string token = content.Trim();
        if (token.Length == 0)
        {
            throw new CredentialUnavailableException(
                ProviderName,
                $"the OIDC token file {path} is empty. Check OIDCTokenFilePath (ALIBABA_CLOUD_OIDC_TOKEN_FILE) and whatever writes the token.",
                null);
        }

        return token;
    }
}
