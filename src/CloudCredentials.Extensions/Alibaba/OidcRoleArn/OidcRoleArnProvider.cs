using CloudCredentials.Alibaba.Sts;

namespace CloudCredentials.Alibaba.OidcRoleArn;

/// <summary>
/// <c>oidc_role_arn</c>: STS AssumeRoleWithOIDC with the token read from a file. The file is read again on every
/// fetch (the platform rotates it) and trimmed of surrounding whitespace.
/// </summary>
internal sealed class OidcRoleArnProvider : ICredentialProvider
{
    private readonly OidcRoleArnSettings _settings;
    private readonly Func<StsClient> _sts;

    /// <summary>Creates the provider.</summary>
    /// <param name="settings">The role, OIDC provider, token file and session settings.</param>
    /// <param name="sts">Creates an STS client (from <see cref="IHttpClientFactory"/>) for each fetch.</param>
    public OidcRoleArnProvider(OidcRoleArnSettings settings, Func<StsClient> sts)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sts);
        _settings = settings;
        _sts = sts;
    }

    /// <inheritdoc />
    public string ProviderName => CredentialTypes.OidcRoleArn;

    /// <inheritdoc />
    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        string token = await ReadTokenAsync(cancellationToken).ConfigureAwait(false);
        var request = new AssumeRoleWithOidcRequest(
            _settings.RoleArn,
            _settings.OidcProviderArn,
            token,
            _settings.RoleSessionName,
            _settings.DurationSeconds,
            _settings.Policy);
        return await _sts().AssumeRoleWithOidcAsync(_settings.StsEndpoint, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> ReadTokenAsync(CancellationToken cancellationToken)
    {
        string path = _settings.OidcTokenFilePath;
        string content;
        try
        {
            content = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CredentialUnavailableException(
                ProviderName,
                $"the OIDC token file {path} does not exist. Check OIDCTokenFilePath (ALIBABA_CLOUD_OIDC_TOKEN_FILE) and that the token volume is mounted.",
                ex);
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
