namespace CloudCredentials;

/// <summary>
/// The credential an application signs its requests with, right now.
/// </summary>
/// <remarks>
/// Inject this interface and call <see cref="GetCredentialAsync"/> on <em>every</em> use. Never keep the
/// returned <see cref="CloudCredential"/> in a field: session credentials rotate, and the source hands out
/// the current one. A cached call completes synchronously, takes no lock and allocates nothing.
/// </remarks>
public interface ICredentialSource
{
    /// <summary>Gets the current, unexpired credential.</summary>
    /// <param name="cancellationToken">Cancels this caller's wait; a shared refresh in progress is not cancelled.</param>
    /// <returns>A credential that has not expired. Never <see langword="null"/>.</returns>
    /// <exception cref="CredentialUnavailableException">No valid credential can be obtained; the message says from which providers and why.</exception>
    ValueTask<CloudCredential> GetCredentialAsync(CancellationToken cancellationToken = default);
}
