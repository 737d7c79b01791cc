using CloudCredentials.Alibaba.Options;
using CloudCredentials.Aws.Options;
using CloudCredentials.Credentials;

namespace CloudCredentials.DependencyInjection;

/// <summary>
/// Sends a registration's options to its cloud's mapper by <see cref="CloudCredentialsOptions.Cloud"/> (default
/// <c>alibaba</c>, case-insensitive), after refusing an unknown cloud and the keys of the other cloud. The validator and
/// the registration both use it.
/// </summary>
internal static class CloudOptionsMapper
{
    /// <summary>Maps the options (see <see cref="AlibabaOptionsMapper.Map"/> and <see cref="AwsOptionsMapper.Map"/>).</summary>
    public static CredentialSpec? Map(CloudCredentialsOptions options, string section, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        bool? aws = IsAws(options, section, errors);
        if (aws is null)
        {
            errors.AddRange(options.BindingErrors);
            return null;
        }

        CheckOtherCloudKeys(options, section, aws.Value, errors);
        CredentialSpec? spec = aws.Value ? AwsOptionsMapper.Map(options, section, errors) : AlibabaOptionsMapper.Map(options, section, errors);
        return errors.Count > 0 ? null : spec;
    }

    /// <summary>Maps the options for a registration: the typed spec or the cloud's default chain.</summary>
    /// <exception cref="CredentialUnavailableException">The options are invalid (normally caught earlier by ValidateOnStart).</exception>
    public static CredentialSpec Resolve(CloudCredentialsOptions options, string section)
    {
        var errors = new List<string>();
        bool? aws = IsAws(options, section, errors);
        if (aws is not null)
        {
            CheckOtherCloudKeys(options, section, aws.Value, errors);
        }

        if (errors.Count > 0)
        {
            throw new CredentialUnavailableException(section, string.Join("; ", errors), null);
        }

        return aws!.Value ? AwsOptionsMapper.Resolve(options, section) : AlibabaOptionsMapper.Resolve(options, section);
    }

    private static bool? IsAws(CloudCredentialsOptions options, string section, List<string> errors)
    {
        string? cloud = string.IsNullOrWhiteSpace(options.Cloud) ? null : options.Cloud.Trim();
        if (cloud is null || string.Equals(cloud, CloudNames.Alibaba, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (string.Equals(cloud, CloudNames.Aws, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        errors.Add($"{section}:Cloud '{cloud}' is not a known cloud; use '{CloudNames.Alibaba}' (the default) or '{CloudNames.Aws}'");
        return null;
    }

    /// <summary>A key of the other cloud is refused, naming the key and the cloud it belongs to.</summary>
    private static void CheckOtherCloudKeys(CloudCredentialsOptions o, string section, bool aws, List<string> errors)
    {
        (bool Set, string Key)[] foreign = aws
            ?
            [
                (o.BearerToken is not null, nameof(o.BearerToken)), (o.StsRegionId is not null, nameof(o.StsRegionId)),
                (o.EnableVpc is not null, nameof(o.EnableVpc)), (o.OIDCProviderArn is not null, nameof(o.OIDCProviderArn)),
                (o.OIDCTokenFilePath is not null, nameof(o.OIDCTokenFilePath)), (o.RoleName is not null, nameof(o.RoleName)),
                (o.DisableIMDSv1 is not null, nameof(o.DisableIMDSv1)), (o.CredentialsUri is not null, nameof(o.CredentialsUri)),
                (o.AllowedHttpHosts.Count > 0, nameof(o.AllowedHttpHosts)),
                (o.MetadataUnreachableTtl != new CloudCredentialsOptions().MetadataUnreachableTtl, nameof(o.MetadataUnreachableTtl)),
            ]
            :
            [
                (o.Region is not null, nameof(o.Region)), (o.ContainerEndpoint is not null, nameof(o.ContainerEndpoint)),
                (o.WebIdentityTokenFile is not null, nameof(o.WebIdentityTokenFile)), (o.CredentialProcess is not null, nameof(o.CredentialProcess)),
                (o.CredentialsFile is not null, nameof(o.CredentialsFile)),
            ];
        foreach ((bool set, string key) in foreign)
        {
            if (set)
            {
                errors.Add(aws
                    ? $"{section}:{key} is an Alibaba Cloud setting and does not apply to Cloud 'aws'; remove it, or set {section}:Cloud to 'alibaba'"
                    : $"{section}:{key} is an AWS setting and applies only with Cloud 'aws'; set {section}:Cloud to 'aws', or remove it");
            }
        }
    }
}
