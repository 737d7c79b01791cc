namespace CloudCredentials.Credentials;

/// <summary>
/// An application's own <see cref="ICredentialProvider"/>, registered with
/// <c>AddCloudCredentials(name, Func&lt;IServiceProvider, ICredentialProvider&gt;)</c>: it gets the same cache, refresh,
/// health and metrics as the built-in types.
/// </summary>
/// <param name="Factory">Creates the provider from the application's services.</param>
internal sealed record CustomProviderSpec(Func<IServiceProvider, ICredentialProvider> Factory) : CredentialSpec
{
    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ICredentialProvider? provider = Factory(context.Services);
        if (provider is null)
        {
            throw new InvalidOperationException($"The credential provider factory of registration '{context.DisplayName}' returned null; return an ICredentialProvider.");
        }

        if (string.IsNullOrWhiteSpace(provider.ProviderName))
        {
            throw new InvalidOperationException($"The credential provider {provider.GetType().Name} of registration '{context.DisplayName}' has an empty ProviderName; give it a name to show in logs and errors.");
        }

        return provider;
    }
}
