namespace CloudCredentials.Alibaba.Sts;

/// <summary>
/// Resolves the STS endpoint (spec §3.1): an explicit endpoint wins (a bare host means HTTPS; an absolute
/// <c>http://</c> or <c>https://</c> URI is used as is); otherwise <c>sts[-vpc].&lt;region&gt;.aliyuncs.com</c> when a
/// region is known (explicit, else <c>ALIBABA_CLOUD_STS_REGION</c>); otherwise <c>sts.aliyuncs.com</c>.
/// VPC (explicit, else <c>ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED</c>) has no effect without a region. A region must be a
/// region id (<see cref="IsRegionId"/>): anything else could change the host the signed call goes to
/// (<c>attacker.example#</c> makes <c>https://sts.attacker.example/#.aliyuncs.com</c>).
/// </summary>
internal static class StsEndpointResolver
{
    /// <summary>The global STS endpoint.</summary>
    public static readonly Uri Default = new("https://sts.aliyuncs.com");

    /// <summary>Resolves the endpoint.</summary>
    /// <param name="explicitEndpoint">The <c>StsEndpoint</c> setting, or <see langword="null"/>.</param>
    /// <param name="regionId">The <c>StsRegionId</c> setting (or a CLI profile's <c>sts_region</c>), or <see langword="null"/>.</param>
    /// <param name="enableVpc">The <c>EnableVpc</c> setting, or <see langword="null"/> for the environment variable.</param>
    /// <returns>The absolute endpoint URI.</returns>
    /// <exception cref="ArgumentException"><paramref name="explicitEndpoint"/> is not a host name or an http(s) URI.</exception>
    /// <exception cref="FormatException">The region (<paramref name="regionId"/>, else <c>ALIBABA_CLOUD_STS_REGION</c>) is not a region id.</exception>
    public static Uri Resolve(string? explicitEndpoint, string? regionId, bool? enableVpc)
    {
        if (!string.IsNullOrWhiteSpace(explicitEndpoint))
        {
            return FromExplicit(explicitEndpoint.Trim());
        }

        bool fromEnvironment = string.IsNullOrWhiteSpace(regionId);
        string? region = (fromEnvironment ? AlibabaEnvironment.Get(AlibabaEnvironment.StsRegion) : regionId)?.Trim();
        if (region is null)
        {
            return Default;
        }

        if (!IsRegionId(region))
        {
            string source = fromEnvironment ? AlibabaEnvironment.StsRegion : "StsRegionId (or a profile's sts_region)";
            throw new FormatException($"{source} '{region}' {NotARegionId}");
        }

        bool vpc = enableVpc ?? AlibabaEnvironment.GetBool(AlibabaEnvironment.VpcEndpointEnabled);
        return FromExplicit($"{(vpc ? "sts-vpc" : "sts")}.{region}.aliyuncs.com");
    }

    /// <summary>What is wrong with a region that is not a region id, after the setting and the value are named.</summary>
    public const string NotARegionId = "is not a region id such as cn-hangzhou; use only lowercase letters, digits and '-'";

    /// <summary>Whether <paramref name="region"/> is a region id such as <c>cn-hangzhou</c>: only <c>a-z</c>, <c>0-9</c> and <c>-</c> (<c>^[a-z0-9-]+$</c>).</summary>
    /// <param name="region">The region, trimmed.</param>
    /// <returns><see langword="true"/> when it is one.</returns>
    public static bool IsRegionId(string? region) =>
        !string.IsNullOrEmpty(region) && region.All(static c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static Uri FromExplicit(string endpoint)
    {
        if (endpoint.Contains("://", StringComparison.Ordinal))
        {
            if (Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? absolute)
                && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp)
                && !string.IsNullOrEmpty(absolute.Host))
            {
                return absolute;
            }

            throw new ArgumentException($"The STS endpoint '{endpoint}' is not an http:// or https:// URI.", nameof(endpoint));
        }

        if (Uri.TryCreate("https://" + endpoint, UriKind.Absolute, out Uri? https)
            && Uri.CheckHostName(https.Host) != UriHostNameType.Unknown
            && https.AbsolutePath == "/"
            && string.IsNullOrEmpty(https.Query))
        {
            return https;
        }

        throw new ArgumentException($"The STS endpoint '{endpoint}' is not a host name (such as sts.cn-hangzhou.aliyuncs.com) or an absolute URI.", nameof(endpoint));
    }
}
