using System.Globalization;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Credentials;
using CloudCredentials.Http;

namespace CloudCredentials.Alibaba.Options;

/// <summary>
/// The start-up checks of typed options that do not depend on the <c>Type</c> (part of the mapping step of
/// <see cref="AlibabaOptionsMapper"/>): each problem becomes a message naming the setting and the fix.
/// </summary>
internal static class AlibabaOptionsChecks
{
    /// <summary>The checks every Type shares: durations, session name, timeouts, endpoints, hosts and refresh settings.</summary>
    internal static void ValidateCommon(CloudCredentialsOptions o, string section, List<string> errors)
    {
        if (o.RoleSessionExpiration is { } d && d != 0 && d < 900)
        {
            errors.Add($"{section}:RoleSessionExpiration is {d.ToString(CultureInfo.InvariantCulture)}; the session duration must be at least 900 seconds (the default is 3600)");
        }

        if (AlibabaOptionsMapper.Optional(o.RoleSessionName, null) is { } name && !IsValidSessionName(name))
        {
            errors.Add($"{section}:RoleSessionName '{name}' is invalid; use 2 to 64 letters, digits, '.', '@', '-' or '_'");
        }

        OptionsChecks.ValidateTimeouts(o, section, errors);

        if (AlibabaOptionsMapper.Optional(o.MetadataEndpoint, null) is { } metadata && !IsHttpUri(metadata))
        {
            errors.Add($"{section}:MetadataEndpoint '{metadata}' is not an absolute http:// or https:// URI, such as http://100.100.100.200");
        }

        if (o.MetadataUnreachableTtl < TimeSpan.Zero)
        {
            errors.Add($"{section}:MetadataUnreachableTtl must not be negative, such as 00:01:00 (00:00:00 probes the metadata service on every call)");
        }

        if (AlibabaOptionsMapper.Optional(o.StsEndpoint, null)?.Trim() is { } sts)
        {
            if (!IsHttpUri(sts) && Uri.CheckHostName(sts) == UriHostNameType.Unknown)
            {
                errors.Add($"{section}:StsEndpoint '{sts}' is neither a host name (such as sts.cn-hangzhou.aliyuncs.com) nor an absolute http(s) URI");
            }
            else if (IsHttpUri(sts) && PlainHttpPolicy.Check(new Uri(sts, UriKind.Absolute), o.AllowedHttpHosts, "the STS endpoint") is { } problem)
            {
                // It applies to every role the registration builds, the default chain's included.
                errors.Add($"{section}:StsEndpoint is not acceptable: {problem}");
            }
        }

        if (AlibabaOptionsMapper.Optional(o.StsRegionId, null)?.Trim() is { } region && !StsEndpointResolver.IsRegionId(region))
        {
            errors.Add($"{section}:StsRegionId '{region}' {StsEndpointResolver.NotARegionId}");
        }

        OptionsChecks.ValidateRefresh(o, section, errors);
    }

    /// <summary>
    /// When the default chain's CLI config.json is named explicitly (<c>Profile</c>, <c>ConfigFile</c>,
    /// <c>ALIBABA_CLOUD_PROFILE</c>, <c>ALIBABA_CLOUD_CONFIG_FILE</c>), a file that exists but cannot be read or parsed
    /// (not JSON, naming the line) fails at start rather than at the first request. A missing file is left to the
    /// chain: the profile may be an INI section.
    /// </summary>
    internal static void ValidateExplicitCliConfig(CloudCredentialsOptions o, string section, List<string> errors)
    {
        string? namedBy = AlibabaOptionsMapper.Optional(o.ConfigFile, null) is not null ? $"{section}:ConfigFile"
            : AlibabaEnvironment.Get(AlibabaEnvironment.ConfigFile) is not null ? AlibabaEnvironment.ConfigFile
            : AlibabaOptionsMapper.Optional(o.Profile, null) is not null ? $"{section}:Profile"
            : AlibabaEnvironment.Get(AlibabaEnvironment.Profile) is not null ? AlibabaEnvironment.Profile
            : null;
        if (namedBy is null || AlibabaEnvironment.GetBool(AlibabaEnvironment.CliProfileDisabled)
            || CliConfigFile.ResolvePath(AlibabaOptionsMapper.Optional(o.ConfigFile, null)) is not { } path || !File.Exists(path))
        {
            return;
        }

        try
        {
            _ = CliConfigFile.Load(path, CredentialProviderNames.CliProfile);
        }
        catch (CredentialUnavailableException ex)
        {
            // The reasons name the file and the position, never its content.
            errors.Add($"{namedBy} names a CLI profile, but {ex.Reason ?? ex.Message}");
        }
    }

    /// <summary>
    /// <c>ALIBABA_CLOUD_STS_REGION</c> names the STS host of the roles (typed, or the default chain's OIDC and CLI
    /// profiles) unless StsEndpoint or StsRegionId is set: a value that is not a region id is refused at start.
    /// </summary>
    internal static void ValidateEnvironmentStsRegion(CloudCredentialsOptions o, string section, List<string> errors)
    {
        if (AlibabaOptionsMapper.Optional(o.StsEndpoint, null) is null
            && AlibabaOptionsMapper.Optional(o.StsRegionId, null) is null
            && AlibabaEnvironment.Get(AlibabaEnvironment.StsRegion)?.Trim() is { } region
            && !StsEndpointResolver.IsRegionId(region))
        {
            errors.Add($"{AlibabaEnvironment.StsRegion} '{region}' (the fallback of {section}:StsRegionId) {StsEndpointResolver.NotARegionId}; fix or unset it");
        }
    }

    internal static bool IsHttpUri(string value)
        => Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    internal static bool IsValidSessionName(string name)
    {
        if (name.Length is < 2 or > 64)
        {
            return false;
        }

        foreach (char ch in name)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '@' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
