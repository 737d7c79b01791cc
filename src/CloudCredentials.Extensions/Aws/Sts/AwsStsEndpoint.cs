using System.Text.RegularExpressions;

namespace CloudCredentials.Aws.Sts;

/// <summary>
/// The STS endpoint of a role and the region it is signed for: the <c>StsEndpoint</c> setting, else
/// <c>AWS_ENDPOINT_URL_STS</c>, else <c>AWS_ENDPOINT_URL</c>, else the profile's <c>endpoint_url</c>, else
/// <c>https://sts.{region}.amazonaws.com</c> with the region from the <c>Region</c> setting, <c>AWS_REGION</c>,
/// <c>AWS_DEFAULT_REGION</c> or the profile's <c>region</c>; no region → <c>https://sts.amazonaws.com</c> signed for
/// <c>us-east-1</c>. An endpoint is an absolute URI; plain http only to a loopback host (tests, the emulator).
/// </summary>
/// <param name="Uri">The endpoint.</param>
/// <param name="SigningRegion">The SigV4 region.</param>
internal sealed partial record AwsStsEndpoint(Uri Uri, string SigningRegion)
{
    /// <summary>The region signed for without one: <c>us-east-1</c>.</summary>
    public const string GlobalRegion = "us-east-1";

    /// <summary>Resolves the endpoint.</summary>
    /// <param name="endpointSetting">The options' <c>StsEndpoint</c> and its configuration path, or <see langword="null"/>.</param>
    /// <param name="regionSetting">The options' <c>Region</c> and its configuration path, or <see langword="null"/>.</param>
    /// <param name="profile">The role profile's <c>endpoint_url</c> and <c>region</c> and how to name them, if any.</param>
    /// <param name="problem">Why no endpoint could be resolved, naming the setting or variable.</param>
    /// <returns>The endpoint, or <see langword="null"/> with <paramref name="problem"/>.</returns>
    public static AwsStsEndpoint? Resolve(
        (string? Value, string Name) endpointSetting,
        (string? Value, string Name) regionSetting,
        (string? EndpointUrl, string? Region, string Name) profile,
        out string? problem)
    {
        (string value, string name)? region = Pick(
            (regionSetting.Value, regionSetting.Name),
            (AwsEnvironment.Get(AwsEnvironment.Region), AwsEnvironment.Region),
            (AwsEnvironment.Get(AwsEnvironment.DefaultRegion), AwsEnvironment.DefaultRegion),
            (profile.Region, $"region of {profile.Name}"));
        if (region is { } r && !RegionPattern().IsMatch(r.value))
        {
            problem = $"{r.name} '{r.value}' is not an AWS region, such as us-west-2";
            return null;
        }

        (string value, string name)? endpoint = Pick(
            (endpointSetting.Value, endpointSetting.Name),
            (AwsEnvironment.Get(AwsEnvironment.EndpointUrlSts), AwsEnvironment.EndpointUrlSts),
            (AwsEnvironment.Get(AwsEnvironment.EndpointUrl), AwsEnvironment.EndpointUrl),
            (profile.EndpointUrl, $"endpoint_url of {profile.Name}"));
        string signingRegion = region?.value ?? GlobalRegion;
        if (endpoint is not { } e)
        {
            problem = null;
            return new AwsStsEndpoint(new Uri(region is null ? "https://sts.amazonaws.com/" : $"https://sts.{signingRegion}.amazonaws.com/"), signingRegion);
        }

        if (!Uri.TryCreate(e.value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problem = $"{e.name} '{e.value}' is not an absolute http(s) URI, such as https://sts.us-west-2.amazonaws.com";
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            problem = $"{e.name} uses plain http to {uri.Host}, which would send credentials unencrypted; use https (plain http is allowed only to a loopback host)";
            return null;
        }

        problem = null;
        return new AwsStsEndpoint(uri, signingRegion);
    }

    private static (string, string)? Pick(params (string? Value, string Name)[] candidates)
    {
        foreach ((string? value, string name) in candidates)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return (value.Trim(), name);
            }
        }

        return null;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
