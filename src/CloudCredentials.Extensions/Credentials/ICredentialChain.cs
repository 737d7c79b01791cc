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

    /// <summary>Gets the sources left out when the chain was built, each as <c>name: reason</c> (such as a disabled one).</summary>
    IReadOnlyList<string> Skipped { get; }
}
