using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.DefaultChain;

/// <summary>
/// The Alibaba default provider chain (spec section 0): env → OIDC → CLI config.json → INI → ECS RAM role →
/// credentials URI, as composed by the provider factory from the environment at build time. Every member is asked
/// until one answers; credentials are named <c>default/&lt;inner&gt;</c>. The walk itself is <see cref="CredentialChain"/>.
/// </summary>
internal sealed class DefaultCredentialChain : CredentialChain
{
    public const string Name = CredentialProviderNames.Default;

    private static readonly ChainPolicy Policy = new(Name, static (outer, inner) => outer + "/" + inner, StopOnConfiguredFailure: false, CredentialUnavailableException.AlibabaChainAdvice);

    public DefaultCredentialChain(IReadOnlyList<ICredentialProvider> providers, IReadOnlyList<string> skipped, TimeProvider timeProvider, TimeSpan clockSkew = default)
        : base(Policy, providers, skipped, timeProvider, clockSkew)
    {
    }
}
