namespace CloudCredentials.Credentials;

/// <summary>How a <see cref="CredentialChain"/> names its credentials and treats a member's failure.</summary>
/// <param name="Name">The chain's provider name, such as <c>default</c> or <c>aws/default</c>.</param>
/// <param name="JoinName">Makes a credential's provider name from the chain's and the member's.</param>
/// <param name="StopOnConfiguredFailure">
/// Whether a member that fails with anything but <see cref="SourceNotConfiguredException"/> ends the walk (AWS: a
/// configured source answers or fails, it never silently falls through); otherwise every member is asked (Alibaba).
/// </param>
/// <param name="Advice">The closing sentence of the chain's error: what to configure.</param>
internal sealed record ChainPolicy(string Name, Func<string, string, string> JoinName, bool StopOnConfiguredFailure, string Advice);
