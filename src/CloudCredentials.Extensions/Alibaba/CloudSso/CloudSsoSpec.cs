using CloudCredentials.Credentials;
using CloudCredentials.Http;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.CloudSso;

/// <summary>A CLI <c>CloudSSO</c> profile: the fields <see cref="CloudSsoProvider"/> needs.</summary>
/// <remarks><see cref="ToString"/> never prints the access token.</remarks>
internal sealed record CloudSsoSpec : CredentialSpec
{
    /// <summary>The <c>cloud_sso_sign_in_url</c>; its scheme, host and port locate the portal.</summary>
    public string? SignInUrl { get; init; }

    /// <summary>The <c>cloud_sso_account_id</c>.</summary>
    public string? AccountId { get; init; }

    /// <summary>The <c>cloud_sso_access_config</c> (access configuration id).</summary>
    public string? AccessConfig { get; init; }

    /// <summary>The SSO <c>access_token</c> written by <c>aliyun sso login</c>. Secret.</summary>
    public string? AccessToken { get; init; }

    /// <summary>The <c>cloud_sso_access_token_expire</c>, in epoch seconds; 0 when unknown (treated as expired).</summary>
    public long AccessTokenExpire { get; init; }

    /// <summary>The profile name, used in error messages only; optional.</summary>
    public string? ProfileName { get; init; }

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CloudSsoProvider(
            this,
            () => new CloudSsoClient(context.CreateHttpClient(CloudCredentialsHttpClients.SignIn), context.LoggerFactory.CreateLogger<CloudSsoClient>()),
            context.TimeProvider);
    }

    /// <summary>Describes the spec without the access token.</summary>
    public override string ToString() =>
        $"CloudSsoSpec {{ SignInUrl = {SignInUrl}, AccountId = {AccountId}, AccessConfig = {AccessConfig}, AccessTokenExpire = {AccessTokenExpire}, ProfileName = {ProfileName} }}";
}
