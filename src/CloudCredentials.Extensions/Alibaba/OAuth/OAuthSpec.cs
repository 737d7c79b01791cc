namespace CloudCredentials.Alibaba.OAuth;

/// <summary>Where <see cref="OAuthProvider"/> finds its CLI <c>OAuth</c> profile, which it re-reads on every fetch.</summary>
internal sealed record OAuthSettings
{
    /// <summary>The config.json path. Required.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The name of the <c>OAuth</c> profile (after following any <c>source_profile</c> links). Required.</summary>
    public required string ProfileName { get; init; }

    /// <summary>
    /// <c>CN</c> or <c>INTL</c>; <see langword="null"/> reads the profile's <c>oauth_site_type</c> on each fetch.
    /// </summary>
    public string? SiteType { get; init; }

    /// <summary>An absolute base URL that replaces the site's (tests, private endpoints); <see langword="null"/> for the site's own.</summary>
    public string? BaseUrlOverride { get; init; }
}
