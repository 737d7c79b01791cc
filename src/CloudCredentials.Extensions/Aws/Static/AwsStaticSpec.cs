using CloudCredentials.Credentials;

namespace CloudCredentials.Aws.Static;

/// <summary>A fixed access key pair with an optional session token (Type <c>access_key</c>, or a profile's keys).</summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret access key.</param>
/// <param name="SessionToken">The session token, or <see langword="null"/>.</param>
/// <param name="ProviderName">The provider name, <c>aws/static</c> by default.</param>
internal sealed record AwsStaticSpec(string AccessKeyId, string SecretAccessKey, string? SessionToken, string ProviderName = AwsCredentialProviderNames.Static) : CredentialSpec
{
    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
        => new StaticCredentialProvider(Create(ProviderName, AccessKeyId, SecretAccessKey, SessionToken));

    /// <summary>Creates the credential (type <c>access_key</c>, never expiring).</summary>
    internal static CloudCredential Create(string providerName, string id, string secret, string? token)
        => CloudCredential.Create(AwsCredentialTypes.AccessKey, providerName, id, secret, token, expiration: null);

    /// <summary>Describes the spec with a masked key id and no secret.</summary>
    public override string ToString() => $"AwsStaticSpec {{ AccessKeyId = {CloudCredential.MaskAccessKeyId(AccessKeyId)}, Provider = {ProviderName} }}";
}
