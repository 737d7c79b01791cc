namespace CloudCredentials.Samples.WebApi;

/// <summary>What <c>GET /whoami</c> returns: who the app is to the cloud, without any secret.</summary>
/// <param name="Provider">The provider that produced the credential, such as <c>ram_role_arn/static_ak</c>.</param>
/// <param name="Type">The credential type, such as <c>ram_role_arn</c>.</param>
/// <param name="AccessKeyId">The AccessKey ID, masked (<c>STS.***</c>).</param>
/// <param name="ExpiresAt">When the credential expires; <see langword="null"/> for one that does not.</param>
/// <param name="SecondsToExpiry">Whole seconds until it expires; <see langword="null"/> for one that does not.</param>
internal sealed record WhoAmIResponse(string Provider, string Type, string AccessKeyId, DateTimeOffset? ExpiresAt, long? SecondsToExpiry)
{
    public static WhoAmIResponse From(CloudCredential credential, DateTimeOffset now) => new(
        credential.ProviderName,
        credential.Type,
        CloudCredential.MaskAccessKeyId(credential.AccessKeyId),
        credential.Expiration,
        credential.Expiration is { } expiration ? (long)Math.Floor((expiration - now).TotalSeconds) : null);
}
