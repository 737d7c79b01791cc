namespace CloudCredentials.Alibaba.OAuth;

/// <summary>An Alibaba Cloud OAuth site of the CLI's <c>OAuth</c> mode: its base URL and the CLI's client id there.</summary>
internal sealed class OAuthSite
{
    /// <summary>The China site: <c>https://oauth.aliyun.com</c>, client id <c>4038181954557748008</c>.</summary>
    public static readonly OAuthSite China = new("CN", new Uri("https://oauth.aliyun.com"), "4038181954557748008");

    /// <summary>The international site: <c>https://oauth.alibabacloud.com</c>, client id <c>4103531455503354461</c>.</summary>
    public static readonly OAuthSite International = new("INTL", new Uri("https://oauth.alibabacloud.com"), "4103531455503354461");

    private OAuthSite(string siteType, Uri baseUrl, string clientId)
    {
        SiteType = siteType;
        BaseUrl = baseUrl;
        ClientId = clientId;
    }

    /// <summary>The profile's <c>oauth_site_type</c> value: <c>CN</c> or <c>INTL</c>.</summary>
    public string SiteType { get; }

    public Uri BaseUrl { get; }

    public string ClientId { get; }

    /// <summary>Finds the site for <c>CN</c> or <c>INTL</c> (any case); <see langword="null"/> otherwise.</summary>
    public static OAuthSite? Find(string? siteType) => siteType?.Trim().ToUpperInvariant() switch
    {
        "CN" => China,
        "INTL" => International,
        _ => null,
    };
}
