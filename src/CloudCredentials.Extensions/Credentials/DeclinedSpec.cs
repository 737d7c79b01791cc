namespace CloudCredentials.Credentials;

/// <summary>
/// A source that is configured but unusable (for example IMDS disabled by the environment, or a plain-http
/// credentials URI to a public host): the mapping step decided why once; the default chain reports it and moves
/// on, an explicit <c>Type</c> turns it into a start-up error.
/// </summary>
/// <param name="ProviderName">The provider that declines.</param>
/// <param name="Reason">Why, and what to do; never a secret.</param>
/// <param name="NotConfigured">
/// Whether the source is simply absent (the provider throws <see cref="SourceNotConfiguredException"/>, which a chain
/// with <see cref="ChainPolicy.StopOnConfiguredFailure"/> moves past) rather than configured but unusable.
/// </param>
internal sealed record DeclinedSpec(string ProviderName, string Reason, bool NotConfigured = false) : CredentialSpec
{
    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context) => new DecliningProvider(ProviderName, Reason, NotConfigured);
}
