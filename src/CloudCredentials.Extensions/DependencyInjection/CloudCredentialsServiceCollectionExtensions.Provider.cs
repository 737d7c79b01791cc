using CloudCredentials;

namespace Microsoft.Extensions.DependencyInjection;

/// <content>The plug-in point: a named registration backed by the application's own <see cref="ICredentialProvider"/>.</content>
public static partial class CloudCredentialsServiceCollectionExtensions
{
    /// <summary>
    /// Registers a named <see cref="ICredentialSource"/> (a keyed service) backed by your own
    /// <see cref="ICredentialProvider"/>. The provider only fetches; the library caches its credential, refreshes it
    /// in the background ahead of expiry, joins concurrent callers into one fetch, keeps serving an unexpired
    /// credential when a refresh fails and never returns an expired one, and reports the registration in the health
    /// check, metrics and logs, exactly as for the built-in credential types.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The registration name and service key; not empty, and not used by another registration.</param>
    /// <param name="providerFactory">Creates the provider once, when the source is first resolved, from the application's services.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A registration with this name already exists.</exception>
    /// <remarks>
    /// Refresh settings come from the options of the same name, so they can be set with
    /// <c>services.Configure&lt;CloudCredentialsOptions&gt;(name, o =&gt; o.Refresh.RefreshBefore = ...)</c>.
    /// </remarks>
    public static IServiceCollection AddCloudCredentials(this IServiceCollection services, string name, Func<IServiceProvider, ICredentialProvider> providerFactory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(providerFactory);
        return AddCore(services, name, null, null, providerFactory);
    }
}
