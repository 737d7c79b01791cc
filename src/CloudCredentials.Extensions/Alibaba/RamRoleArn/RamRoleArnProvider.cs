using CloudCredentials.Alibaba.Sts;

namespace CloudCredentials.Alibaba.RamRoleArn;

/// <summary>
/// <c>ram_role_arn</c>: STS AssumeRole, signed with the credential of another source. The signing credential is
/// asked for on every fetch, so a chained role always signs with a current credential.
/// </summary>
internal sealed class RamRoleArnProvider : ICredentialProvider
{
    private readonly ICredentialSource _signingSource;
    private readonly AssumeRoleRequest _request;
    private readonly Uri _stsEndpoint;
    private readonly Func<StsClient> _sts;

    /// <summary>Creates the provider.</summary>
    /// <param name="signingSource">Gives the credential AssumeRole is signed with.</param>
    /// <param name="session">The role-session parameters, with the session name set.</param>
    /// <param name="externalId">An optional external id.</param>
    /// <param name="sts">Creates an STS client (from <see cref="IHttpClientFactory"/>) for each fetch.</param>
    public RamRoleArnProvider(ICredentialSource signingSource, RoleSessionParameters session, string? externalId, Func<StsClient> sts)
    {
        ArgumentNullException.ThrowIfNull(signingSource);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(sts);
        _signingSource = signingSource;
        _request = new AssumeRoleRequest(session.RoleArn, session.RequireSessionName(), session.DurationSeconds, session.Policy, externalId);
        _stsEndpoint = session.StsEndpoint;
        _sts = sts;
    }

    /// <inheritdoc />
    public string ProviderName => CredentialProviderNames.RamRoleArn;

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
                $"no credential to sign AssumeRole for {_request.RoleArn} with: {ex.Message}",
                ex);
        }

        CloudCredential assumed = await _sts().AssumeRoleAsync(_stsEndpoint, _request, signing, cancellationToken).ConfigureAwait(false);
        return assumed.WithTypeAndProviderName(CredentialTypes.RamRoleArn, ProviderName + "/" + signing.ProviderName);
    }
}
