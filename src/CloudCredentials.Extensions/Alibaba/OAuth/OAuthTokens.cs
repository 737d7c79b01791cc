namespace CloudCredentials.Alibaba.OAuth;

/// <summary>A refreshed OAuth access token, its (possibly rotated) refresh token and when the access token expires.</summary>
/// <remarks>A class, not a record, so no generated <c>ToString</c> can print the tokens.</remarks>
internal sealed class OAuthTokens
{
    public OAuthTokens(string accessToken, string refreshToken, DateTimeOffset accessTokenExpiration)
    {
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        AccessTokenExpiration = accessTokenExpiration;
    }

    /// <summary>The access token. Never printed.</summary>
    public string AccessToken { get; }

    /// <summary>The refresh token to use next time. Never printed.</summary>
    public string RefreshToken { get; }

    /// <summary>When the access token expires.</summary>
    public DateTimeOffset AccessTokenExpiration { get; }

    /// <summary>Describes the tokens without their values.</summary>
    public override string ToString() => $"OAuthTokens {{ AccessTokenExpiration = {AccessTokenExpiration:o} }}";
}
