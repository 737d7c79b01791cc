using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.OAuth;

/// <summary>
/// The CLI <c>OAuth</c> profile mode: refreshes the OAuth access token when it is close to expiry, exchanges it for
/// STS credentials, and writes the new tokens and credentials back to the profile so the CLI and later runs share them.
/// </summary>
/// <remarks>
/// Every fetch re-reads the profile, so tokens written by the CLI (or another process) are picked up. A fetch:
/// <list type="number">
/// <item>reuses the profile's stored STS credential (<c>access_key_id</c>, <c>access_key_secret</c>, <c>sts_token</c>,
/// <c>sts_expiration</c>) while more than <see cref="StsReuseMinimumRemaining"/> of it is left;</item>
/// <item>otherwise refreshes the access token when a refresh token exists and the access token is empty, has
/// <c>oauth_access_token_expire</c> 0, or has at most <see cref="AccessTokenRefreshLead"/> left (without a refresh
/// token the stored access token is used as is);</item>
/// <item>exchanges the access token and writes back <c>oauth_access_token</c>, <c>oauth_refresh_token</c>,
/// <c>oauth_access_token_expire</c>, <c>access_key_id</c>, <c>access_key_secret</c>, <c>sts_token</c> and
/// <c>sts_expiration</c>. A failed write is logged; the refreshed tokens are then kept in memory so a rotated
/// refresh token is not lost.</item>
/// </list>
/// Fetches of one provider instance are serialised so a refresh token is never spent twice concurrently.
/// <para>Across processes (the CLI's refresh token is single use), steps 2 and 3 run under the config's lock
/// (<see cref="CliConfigWriter.WithLockAsync"/>): the profile is read again under it, and tokens or an STS credential
/// another process stored meanwhile are used instead of refreshing again. When the lock cannot be taken (a read-only
/// folder, or another process holds it past the writer's bound) the fetch goes on without it, as a lone process would,
/// and says so in a warning.</para>
/// </remarks>
internal sealed class OAuthProvider : ICredentialProvider
{
    /// <summary>The provider name: <c>oauth</c>.</summary>
    public const string Name = OAuthClient.ProviderName;

    /// <summary>Refresh the access token when at most this much of it is left: 1200 s (the exchange needs 15 min of token life).</summary>
    public static readonly TimeSpan AccessTokenRefreshLead = TimeSpan.FromSeconds(1200);

    /// <summary>Reuse the STS credential stored in the profile only while more than this is left: 15 minutes, the cache's refresh lead.</summary>
    public static readonly TimeSpan StsReuseMinimumRemaining = TimeSpan.FromMinutes(15);

    private readonly OAuthSpec _spec;
    private readonly Func<OAuthClient> _clientFactory;
    private readonly CliConfigWriter _writer;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    // One gate per OAuth profile for the whole process, so two registrations (or the old and new provider during an
    // options reload) never spend the same refresh token at once.
    private static readonly KeyedGates ProcessGates = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _fetchGate;
    private OAuthTokens? _latestTokens;

    /// <summary>Creates the provider.</summary>
    /// <param name="spec">Where the OAuth profile is.</param>
    /// <param name="clientFactory">Creates the HTTP client for one fetch (an <c>IHttpClientFactory</c> typed client).</param>
    /// <param name="writer">Writes the refreshed values back to the profile.</param>
    /// <param name="timeProvider">The clock for token and credential expiry.</param>
    /// <param name="logger">The logger; it never receives a token or key.</param>
    /// <param name="processGates">
    /// The in-process gates per OAuth profile; <see langword="null"/> for the process's own set. A test passes a set of
    /// its own to play another process.
    /// </param>
    public OAuthProvider(OAuthSpec spec, Func<OAuthClient> clientFactory, CliConfigWriter writer, TimeProvider timeProvider, ILogger logger, KeyedGates? processGates = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.ConfigPath);
        ArgumentException.ThrowIfNullOrEmpty(spec.ProfileName);
        ArgumentNullException.ThrowIfNull(clientFactory);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _spec = spec;
        _clientFactory = clientFactory;
        _writer = writer;
        _timeProvider = timeProvider;
        _logger = logger;
        _fetchGate = (processGates ?? ProcessGates).For(Path.GetFullPath(spec.ConfigPath) + "\n" + spec.ProfileName);
    }

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <inheritdoc />
    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        await _fetchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await FetchLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _fetchGate.Release();
        }
    }

    private async Task<CloudCredential> FetchLockedAsync(CancellationToken cancellationToken)
    {
        string path = _spec.ConfigPath;
        string name = _spec.ProfileName;
        CliProfile profile = LoadProfile(path, name);
        _ = ResolveSite(profile, path); // A bad site type fails every fetch, even one a stored credential would answer.
        if (TryReuseStoredSts(profile, out CloudCredential? stored))
        {
            return stored; // The common case needs no lock.
        }

        // A refresh or an exchange is due: hold the config's cross-process lock across read, refresh, exchange and
        // write-back, so another process sharing the profile cannot spend the same single-use refresh token.
        bool locked = false;
        try
        {
            return await _writer.WithLockAsync(
                path,
                config =>
                {
                    locked = true;
                    return RefreshAndExchangeAsync(config, cancellationToken);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!locked && ex is IOException or UnauthorizedAccessException)
        {
            // The messages name files, never values.
            Log.OAuthConfigLockUnavailable(_logger, ex, name, path);
            return await RefreshAndExchangeAsync(null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads the profile again (under the lock when <paramref name="config"/> is set: another process may have refreshed
    /// meanwhile), reuses its STS credential if still good, else refreshes the access token when due, exchanges it and
    /// writes everything back.
    /// </summary>
    private async Task<CloudCredential> RefreshAndExchangeAsync(LockedCliConfig? config, CancellationToken cancellationToken)
    {
        string path = _spec.ConfigPath;
        string name = _spec.ProfileName;
        CliProfile profile = LoadProfile(path, name);
        (OAuthSite site, Uri baseUrl) = ResolveSite(profile, path);
        if (TryReuseStoredSts(profile, out CloudCredential? stored))
        {
            return stored;
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        string? accessToken = profile.GetString("oauth_access_token");
        string? refreshToken = profile.GetString("oauth_refresh_token");
        long accessTokenExpire = ReadInt64(profile, "oauth_access_token_expire", path);

        // Tokens refreshed by this process whose write-back failed are newer than the file's.
        if (Volatile.Read(ref _latestTokens) is { } latest && latest.AccessTokenExpiration.ToUnixTimeSeconds() > accessTokenExpire)
        {
            accessToken = latest.AccessToken;
            refreshToken = latest.RefreshToken;
            accessTokenExpire = latest.AccessTokenExpiration.ToUnixTimeSeconds();
        }

        OAuthClient client = _clientFactory();
        if (refreshToken is not null
            && (accessToken is null || accessTokenExpire == 0 || accessTokenExpire - now.ToUnixTimeSeconds() <= (long)AccessTokenRefreshLead.TotalSeconds))
        {
            OAuthTokens tokens = await client.RefreshTokenAsync(baseUrl, site.ClientId, refreshToken, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _latestTokens, tokens);
            accessToken = tokens.AccessToken;
            refreshToken = tokens.RefreshToken;
            accessTokenExpire = tokens.AccessTokenExpiration.ToUnixTimeSeconds();
            Log.OAuthTokenRefreshed(_logger, name, tokens.AccessTokenExpiration);

            // Saved at once: the old refresh token is spent, and an exchange that fails now must not lose the new one.
            await WriteBackAsync(config, TokenFields(tokens.AccessToken, tokens.RefreshToken, accessTokenExpire)).ConfigureAwait(false);
        }

        if (accessToken is null)
        {
            throw new CredentialUnavailableException(
                Name,
                $"profile '{name}' of {path} has neither oauth_access_token nor oauth_refresh_token; log in with 'aliyun configure --profile {name} --mode OAuth'",
                null);
        }

        CloudCredential credential = await client.ExchangeAsync(baseUrl, accessToken, cancellationToken).ConfigureAwait(false);
        long stsExpiration = credential.Expiration?.ToUnixTimeSeconds() ?? 0;
        Action<System.Text.Json.Nodes.JsonObject> tokenFields = TokenFields(accessToken, refreshToken, accessTokenExpire);
        await WriteBackAsync(config, profile =>
        {
            tokenFields(profile);
            profile["access_key_id"] = credential.AccessKeyId;
            profile["access_key_secret"] = credential.AccessKeySecret;
            profile["sts_token"] = credential.SecurityToken;
            profile["sts_expiration"] = stsExpiration;
        }).ConfigureAwait(false);
        return credential;
    }

    private bool TryReuseStoredSts(CliProfile profile, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CloudCredential? stored)
    {
        if (!TryGetStoredSts(profile, _timeProvider.GetUtcNow(), out stored))
        {
            return false;
        }

        Log.OAuthPersistedStsReused(_logger, _spec.ProfileName, _spec.ConfigPath, stored.Expiration!.Value);
        return true;
    }

    private static CliProfile LoadProfile(string path, string name)
    {
        CliConfigFile file = CliConfigFile.Load(path, Name);
        CliProfile profile = file.Find(name)
            ?? throw new CredentialUnavailableException(Name, $"profile '{name}' not found in {path}; log in with 'aliyun configure --profile {name} --mode OAuth'", null);
        if (!string.Equals(profile.Mode, "OAuth", StringComparison.OrdinalIgnoreCase))
        {
            throw new CredentialUnavailableException(Name, $"profile '{name}' of {path} has mode '{profile.Mode}', not OAuth", null);
        }

        return profile;
    }

    private (OAuthSite Site, Uri BaseUrl) ResolveSite(CliProfile profile, string path)
    {
        string? siteType = _spec.SiteType ?? profile.GetString("oauth_site_type");
        OAuthSite site = OAuthSite.Find(siteType)
            ?? throw new CredentialUnavailableException(
                Name,
                $"invalid OAuth site type '{siteType}' in profile '{profile.Name}' of {path}, support CN or INTL; set oauth_site_type or run 'aliyun configure --profile {profile.Name} --mode OAuth'",
                null);

        if (_spec.BaseUrlOverride is null)
        {
            return (site, site.BaseUrl);
        }

        if (!Uri.TryCreate(_spec.BaseUrlOverride, UriKind.Absolute, out Uri? baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new CredentialUnavailableException(Name, $"the OAuth base URL override '{_spec.BaseUrlOverride.Split('?')[0]}' is not an absolute http(s) URL", null);
        }

        // The refresh token and the access token are sent there, and an STS credential comes back.
        if (PlainHttpPolicy.Check(baseUrl, _spec.AllowedHttpHosts, "the OAuth base URL") is { } problem)
        {
            throw new CredentialUnavailableException(Name, problem, null);
        }

        return (site, baseUrl);
    }

    private static bool TryGetStoredSts(CliProfile profile, DateTimeOffset now, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CloudCredential? credential)
    {
        credential = null;
        string? accessKeyId = profile.GetString("access_key_id");
        string? accessKeySecret = profile.GetString("access_key_secret");
        string? securityToken = profile.GetString("sts_token");
        long expire;
        try
        {
            expire = profile.GetInt64("sts_expiration") ?? 0;
        }
        catch (FormatException)
        {
            return false; // A damaged stored value only means a fresh exchange.
        }

        if (accessKeyId is null || accessKeySecret is null || securityToken is null
            || !CredentialJson.TryFromUnixSeconds(expire, out DateTimeOffset expiration)
            || expiration - now <= StsReuseMinimumRemaining)
        {
            return false;
        }

        credential = CloudCredential.Create(CredentialTypes.Sts, Name, accessKeyId, accessKeySecret, securityToken, expiration);
        return true;
    }

    private static long ReadInt64(CliProfile profile, string field, string path)
    {
        try
        {
            return profile.GetInt64(field) ?? 0;
        }
        catch (FormatException ex)
        {
            throw new CredentialUnavailableException(Name, $"{ex.Message} in {path}; log in again with 'aliyun configure --profile {profile.Name} --mode OAuth'", null);
        }
    }

    private static Action<System.Text.Json.Nodes.JsonObject> TokenFields(string accessToken, string? refreshToken, long accessTokenExpire) => profile =>
    {
        profile["oauth_access_token"] = accessToken;
        if (refreshToken is not null)
        {
            profile["oauth_refresh_token"] = refreshToken;
        }

        profile["oauth_access_token_expire"] = accessTokenExpire;
    };

    private async Task WriteBackAsync(LockedCliConfig? config, Action<System.Text.Json.Nodes.JsonObject> update)
    {
        try
        {
            if (config is not null)
            {
                config.UpdateProfile(_spec.ProfileName, update); // The lock is already held.
            }
            else
            {
                await _writer.UpdateProfileAsync(_spec.ConfigPath, _spec.ProfileName, update, CancellationToken.None)
                    .ConfigureAwait(false); // Not cancellable: a rotated refresh token must reach the file.
            }
        }
        catch (Exception ex)
        {
            // The writer's messages name files and profiles, never values.
            Log.OAuthWriteBackFailed(_logger, ex, _spec.ProfileName, _spec.ConfigPath);
        }
    }
}
