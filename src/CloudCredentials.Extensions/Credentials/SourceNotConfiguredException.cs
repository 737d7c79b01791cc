namespace CloudCredentials.Credentials;

/// <summary>
/// Thrown by a chain member whose source is not configured at all (its variables, file or profile are absent), as
/// opposed to configured but broken. A chain with <see cref="ChainPolicy.StopOnConfiguredFailure"/> moves on only past
/// these.
/// </summary>
internal sealed class SourceNotConfiguredException : CredentialUnavailableException
{
    /// <summary>Creates the exception; the message is <c>{providerName}: {reason}</c>.</summary>
    /// <param name="providerName">The member.</param>
    /// <param name="reason">What is absent; never a secret.</param>
    public SourceNotConfiguredException(string providerName, string reason)
        : base(providerName, reason, null)
    {
    }
}
