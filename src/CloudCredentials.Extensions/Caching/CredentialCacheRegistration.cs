namespace CloudCredentials.Caching;

/// <summary>
/// A DI-registered note that a credential cache exists, so the registry can create it before the refresh service
/// starts (warm-up) even when nothing has resolved it yet. Register one per cache:
/// <c>services.AddSingleton(new CredentialCacheRegistration(name, sp =&gt; sp.GetRequiredKeyedService&lt;CredentialCache&gt;(name)))</c>.
/// </summary>
/// <param name="registrationName">The registration name.</param>
/// <param name="resolve">Resolves (creating on first use) the singleton cache.</param>
internal sealed class CredentialCacheRegistration(string registrationName, Func<IServiceProvider, CredentialCache> resolve)
{
    /// <summary>Gets the registration name.</summary>
    public string RegistrationName { get; } = registrationName ?? throw new ArgumentNullException(nameof(registrationName));

    /// <summary>Gets the function that resolves the cache.</summary>
    public Func<IServiceProvider, CredentialCache> Resolve { get; } = resolve ?? throw new ArgumentNullException(nameof(resolve));
}
