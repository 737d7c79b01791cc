using CloudCredentials.Credentials;

namespace CloudCredentials.Alibaba.Static;

/// <summary>A configured bearer token (<c>bearer</c>).</summary>
/// <param name="BearerToken">The token.</param>
internal sealed record BearerSpec(string BearerToken) : CredentialSpec
{
    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context) => new StaticCredentialProvider(
        new CloudCredential(CredentialTypes.Bearer, CredentialProviderNames.Bearer) { BearerToken = BearerToken });

    /// <summary>Describes the spec without the token.</summary>
    public override string ToString() => "BearerSpec { }";
}
