namespace CloudCredentials;

/// <summary>
/// One way of obtaining a credential (environment, CLI profile, STS AssumeRole, ECS metadata, ...).
/// </summary>
/// <remarks>
/// A provider does its I/O on every call and caches nothing: caching, refresh-ahead, single flight and
/// stale-if-error are the job of the <see cref="ICredentialSource"/> that wraps it. Implement this interface
/// to plug a custom source into <c>AddCloudCredentials</c>.
/// </remarks>
public interface ICredentialProvider
{
    /// <summary>Gets the provider name reported in errors and logs, such as <c>static_ak</c> or <c>ecs_ram_role</c>.</summary>
    string ProviderName { get; }

    /// <summary>Fetches a fresh credential.</summary>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The credential. Never <see langword="null"/>.</returns>
    /// <exception cref="CredentialUnavailableException">The provider cannot produce a credential.</exception>
    ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken);
}
