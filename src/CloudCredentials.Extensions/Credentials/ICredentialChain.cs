namespace CloudCredentials.Credentials;

/// <summary>
/// A provider made of other providers asked in order (a cloud's default chain). Diagnostics (the <c>cloudcreds
/// doctor</c> tool, health details) read the members to report each one's answer or reason without a second copy of
/// the chain's composition.
/// </summary>
internal interface ICredentialChain : ICredentialProvider
{
    /// <summary>Gets the providers the chain asks, in order.</summary>
    IReadOnlyList<ICredentialProvider> Providers { get; }

    /// <summary>
    /// Gets the sources left out when the chain was built, each as <c>name (reason)</c> (such as
    /// <c>oidc_role_arn (needs ...)</c>); the AWS chain leaves none out (its absent members decline as not configured).
    /// </summary>
    IReadOnlyList<string> Skipped { get; }

    /// <summary>
    /// Gets whether a member that fails with anything but <see cref="SourceNotConfiguredException"/> ends the walk
    /// (<see cref="ChainPolicy.StopOnConfiguredFailure"/>), so diagnostics report the members after it as not asked.
    /// </summary>
    bool StopsOnConfiguredFailure { get; }
}
