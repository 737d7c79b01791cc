using CloudCredentials.Alibaba.Sts;

namespace CloudCredentials.Alibaba.RamRoleArn;

/// <summary>
/// <c>ram_role_arn</c>: STS AssumeRole, signed with the credential of another source. The signing credential is
/// asked for on every fetch, so a chained role always signs with a current credential.
/// </summary>
internal sealed class RamRoleArnProvider : ICredentialProvider
{
    private readonly ICredentialSource _signingSource;
    private readonly RamRoleArnSettings _settings;
    private readonly Func<StsClient> _sts;

    /// <summary>Creates the provider.</summary>
    /// <param name="signingSource">Gives the credential AssumeRole is signed with.</param>
    /// <param name="settings">The role and session settings.</param>
    /// <param name="sts">Creates an STS client (from <see cref="IHttpClientFactory"/>) for each fetch.</param>
    public RamRoleArnProvider(ICredentialSource signingSource, RamRoleArnSettings settings, Func<StsClient> sts)
    {
        ArgumentNullException.ThrowIfNull(signingSource);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sts);
        _signingSource = signingSource;
        _settings = settings;
        _sts = sts;
    }

    /// <inheritdoc />
    public string ProviderName => CredentialTypes.RamRoleArn;

    /// <inheritdoc />
    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        CloudCredential signing;
        try
        {
            signing = await _signingSource.GetCredentialAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialUnavailableException ex)
        {
            throw new CredentialUnavailableException(
                ProviderName,
                $"no credential to sign AssumeRole for {_settings.RoleArn} with: {ex.Message}",
                ex);
        }

        var request = new AssumeRoleRequest(
            _settings.RoleArn,
            _settings.RoleSessionName,
            _settings.DurationSeconds,
            _settings.Policy,
            _settings.ExternalId);
        CloudCredential assumed = await _sts().AssumeRoleAsync(_settings.StsEndpoint, request, signing, cancellationToken).ConfigureAwait(false);
        return assumed.WithTypeAndProviderName(CredentialTypes.RamRoleArn, ProviderName + "/" + signing.ProviderName);
    }
}
