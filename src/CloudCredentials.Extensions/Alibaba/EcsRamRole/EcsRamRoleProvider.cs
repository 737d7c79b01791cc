using CloudCredentials.Http;

namespace CloudCredentials.Alibaba.EcsRamRole;

/// <summary>
/// <c>ecs_ram_role</c>: the RAM role credential of the ECS instance, from its metadata service. The role is
/// discovered on every fetch when no role name is configured. The credential asks to be refreshed once less than
/// an hour is left (the metadata service rotates it well before it expires). In the default chain a
/// <see cref="MetadataReachability"/> first makes sure the service answers at all.
/// </summary>
internal sealed class EcsRamRoleProvider : ICredentialProvider
{
    /// <summary>How long before expiry an ECS credential is refreshed: 1 hour.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromHours(1);

    private readonly EcsRamRoleSpec _spec;
    private readonly Func<EcsMetadataClient> _client;
    private readonly MetadataReachability? _reachability;

    /// <summary>Creates the provider.</summary>
    /// <param name="spec">Role name, IMDSv1 switch and metadata endpoint.</param>
    /// <param name="client">Creates a metadata client (from <see cref="IHttpClientFactory"/>) for each fetch.</param>
    /// <param name="reachability">The default chain's memory of whether the service answers; <see langword="null"/> for an explicit <c>ecs_ram_role</c>.</param>
    public EcsRamRoleProvider(EcsRamRoleSpec spec, Func<EcsMetadataClient> client, MetadataReachability? reachability = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(client);
        _spec = spec;
        _client = client;
        _reachability = reachability;
    }

    /// <inheritdoc />
    public string ProviderName => CredentialProviderNames.EcsRamRole;

    /// <inheritdoc />
    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        if (_reachability is not null)
        {
            await _reachability.EnsureReachableAsync(_spec.MetadataEndpoint, _spec.DisableImdsV1, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            EcsMetadataClient client = _client();
            string roleName = string.IsNullOrWhiteSpace(_spec.RoleName)
                ? await client.GetRoleNameAsync(_spec.MetadataEndpoint, _spec.DisableImdsV1, cancellationToken).ConfigureAwait(false)
                : _spec.RoleName.Trim();
            CloudCredential credential = await client
                .GetCredentialAsync(_spec.MetadataEndpoint, roleName, _spec.DisableImdsV1, cancellationToken)
                .ConfigureAwait(false);
            return CloudCredential.Create(CredentialTypes.EcsRamRole, ProviderName, credential.AccessKeyId, credential.AccessKeySecret, credential.SecurityToken, credential.Expiration, RefreshBefore);
        }
        catch (CredentialUnavailableException ex) when (_reachability is not null && ex.StatusCode is null && ex.InnerException is { } inner && HttpFailure.IsTransport(inner))
        {
            // The service answered once but not now: the next fetch probes again rather than paying the retries.
            _reachability.Forget();
            throw;
        }
    }
}
