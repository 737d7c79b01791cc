namespace CloudCredentials.Credentials;

/// <summary>
/// A validated, fully resolved description of one credential source: every option, profile field and environment
/// fallback has already been applied by the mapping step (the options mapper, a profile reader or the default
/// chain's mapping), so <see cref="Build"/> only constructs. Each credential type's spec lives in that type's folder,
/// beside the provider it builds. Records, so a re-read profile that describes the same source compares equal.
/// </summary>
internal abstract record CredentialSpec
{
    /// <summary>Builds the provider this spec describes (recursively for a role's source).</summary>
    /// <param name="context">The HTTP clients, clock, loggers and shared services of the registration.</param>
    /// <returns>The provider; building does no I/O.</returns>
    public abstract ICredentialProvider Build(ProviderBuildContext context);
}
