namespace CloudCredentials.Credentials;

/// <summary>A provider that always declines with a fixed reason (built from a <see cref="DeclinedSpec"/>), so the default chain can report it and move on.</summary>
internal sealed class DecliningProvider : ICredentialProvider
{
    private readonly string _reason;
    private readonly bool _notConfigured;

    /// <summary>Creates the provider.</summary>
    /// <param name="providerName">The provider that declines.</param>
    /// <param name="reason">Why it declines.</param>
    /// <param name="notConfigured">Whether to throw <see cref="SourceNotConfiguredException"/> (the source is absent).</param>
    public DecliningProvider(string providerName, string reason, bool notConfigured = false)
    {
        _notConfigured = notConfigured;
        ProviderName = providerName;
        _reason = reason;
    }

    /// <inheritdoc />
    public string ProviderName { get; }

    /// <inheritdoc />
    public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
        => throw (_notConfigured ? new SourceNotConfiguredException(ProviderName, _reason) : new CredentialUnavailableException(ProviderName, _reason, null));
}
