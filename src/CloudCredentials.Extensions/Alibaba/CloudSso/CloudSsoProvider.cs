using System.Globalization;

namespace CloudCredentials.Alibaba.CloudSso;

/// <summary>
/// The CLI <c>CloudSSO</c> profile mode: trades the SSO access token that <c>aliyun sso login</c> stored in the
/// profile for STS credentials of the profile's account and access configuration. The SSO token itself is never
/// refreshed: once it expires the user must log in again with the CLI.
/// </summary>
internal sealed class CloudSsoProvider : ICredentialProvider
{
    /// <summary>The provider name: <c>cloud_sso</c>.</summary>
    public const string Name = CloudSsoClient.ProviderName;

    private readonly CloudSsoSpec _spec;
    private readonly Func<CloudSsoClient> _clientFactory;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the provider. The spec is checked on each fetch, so a bad profile fails the fetch, not construction.</summary>
    /// <param name="spec">The profile's CloudSSO fields.</param>
    /// <param name="clientFactory">Creates the HTTP client for one fetch (an <c>IHttpClientFactory</c> typed client).</param>
    /// <param name="timeProvider">The clock that decides whether the SSO access token has expired.</param>
    public CloudSsoProvider(CloudSsoSpec spec, Func<CloudSsoClient> clientFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(clientFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _spec = spec;
        _clientFactory = clientFactory;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <inheritdoc />
    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        string profile = _spec.ProfileName is { Length: > 0 } p ? $" of profile '{p}'" : string.Empty;
        string login = _spec.ProfileName is { Length: > 0 } n ? $"aliyun sso login --profile {n}" : "aliyun sso login";

        if (string.IsNullOrWhiteSpace(_spec.SignInUrl) || string.IsNullOrWhiteSpace(_spec.AccountId) || string.IsNullOrWhiteSpace(_spec.AccessConfig))
        {
            throw new CredentialUnavailableException(
                Name,
                $"CloudSSO sign in url, account id and access config cannot be empty (cloud_sso_sign_in_url, cloud_sso_account_id, cloud_sso_access_config{profile}); configure the profile with 'aliyun configure --mode CloudSSO'",
                null);
        }

        long now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (string.IsNullOrWhiteSpace(_spec.AccessToken) || _spec.AccessTokenExpire - now <= 0)
        {
            string state = string.IsNullOrWhiteSpace(_spec.AccessToken)
                ? "empty"
                : string.Create(CultureInfo.InvariantCulture, $"expired (cloud_sso_access_token_expire {_spec.AccessTokenExpire} is not after now, {now})");
            throw new CredentialUnavailableException(
                Name,
                $"CloudSSO access token{profile} is {state}; please re-login with the CLI ({login}) and retry",
                null);
        }

        CloudSsoClient client = _clientFactory();
        return await client.GetCredentialAsync(_spec.SignInUrl, _spec.AccountId, _spec.AccessConfig, _spec.AccessToken, cancellationToken).ConfigureAwait(false);
    }
}
