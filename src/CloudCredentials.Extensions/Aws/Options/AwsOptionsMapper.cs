using System.Globalization;
using CloudCredentials.Aws.AssumeRole;
using CloudCredentials.Aws.Container;
using CloudCredentials.Aws.DefaultChain;
using CloudCredentials.Aws.InstanceMetadata;
using CloudCredentials.Aws.Process;
using CloudCredentials.Aws.Static;
using CloudCredentials.Aws.Sts;
using CloudCredentials.Aws.WebIdentity;
using CloudCredentials.Credentials;

namespace CloudCredentials.Aws.Options;

/// <summary>
/// The mapping step of a registration with Cloud <c>aws</c>: turns <see cref="CloudCredentialsOptions"/> into a resolved
/// <see cref="CredentialSpec"/> (options win over the AWS_* variables for the same setting) and collects every problem
/// as a message naming the setting and the fix. The startup validator and the registration both use it.
/// </summary>
internal static class AwsOptionsMapper
{
    /// <summary>The accepted values of <c>Type</c> with Cloud <c>aws</c>.</summary>
    public static readonly string[] SupportedTypes =
    [
        AwsCredentialTypes.AccessKey, AwsCredentialTypes.AssumeRole, AwsCredentialTypes.WebIdentity, AwsCredentialTypes.Container,
        AwsCredentialTypes.InstanceMetadata, AwsCredentialTypes.Process, AwsCredentialTypes.Profile, AwsCredentialTypes.Default,
    ];

    /// <summary>Maps the options; <see langword="null"/> for the default chain, and when <paramref name="errors"/> received a problem.</summary>
    public static CredentialSpec? Map(CloudCredentialsOptions options, string section, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddRange(options.BindingErrors);
        OptionsChecks.ValidateTimeouts(options, section, errors);
        OptionsChecks.ValidateRefresh(options, section, errors);
        ValidateCommon(options, section, errors);
        string? type = string.IsNullOrWhiteSpace(options.Type) ? null : options.Type.Trim();
        CredentialSpec? spec = type switch
        {
            null or AwsCredentialTypes.Default => null,
            AwsCredentialTypes.AccessKey => MapAccessKey(options, section, errors),
            AwsCredentialTypes.AssumeRole => MapAssumeRole(options, section, errors),
            AwsCredentialTypes.WebIdentity => MapWebIdentity(options, section, errors),
            AwsCredentialTypes.Container => Accept(ContainerSpec.Resolve(AwsEnvironment.Setting(options.ContainerEndpoint, null), errors), section, type, errors),
            AwsCredentialTypes.InstanceMetadata => Accept(InstanceMetadataSpec.Resolve(AwsEnvironment.Setting(options.MetadataEndpoint, null), errors), section, type, errors),
            AwsCredentialTypes.Process => MapProcess(options, section, errors),
            AwsCredentialTypes.Profile => MapProfile(options, section, errors),
            _ => Error(errors, $"{section}:Type '{type}' is not a known AWS credential type; use one of: {string.Join(", ", SupportedTypes)} (or leave it empty for the AWS default chain)"),
        };
        return errors.Count > 0 ? null : spec;
    }

    /// <summary>Maps the options for a registration: the typed spec, or the AWS default chain.</summary>
    /// <exception cref="CredentialUnavailableException">The options are invalid (normally caught earlier by ValidateOnStart).</exception>
    public static CredentialSpec Resolve(CloudCredentialsOptions options, string section)
    {
        var errors = new List<string>();
        CredentialSpec? spec = Map(options, section, errors);
        return errors.Count > 0
            ? throw new CredentialUnavailableException(section, string.Join("; ", errors), null)
            : spec ?? AwsDefaultChainSpec.Resolve(options, section);
    }

    private static void ValidateCommon(CloudCredentialsOptions o, string section, List<string> errors)
    {
        if (AwsEnvironment.Setting(o.RoleSessionName, null) is { } name && !RoleSessionName.IsValid(name))
        {
            errors.Add($"{section}:RoleSessionName '{name}' is invalid; {RoleSessionName.Rule}");
        }

        if (o.RoleSessionExpiration is { } d && d is < 900 or > 43200)
        {
            errors.Add($"{section}:RoleSessionExpiration is {d.ToString(CultureInfo.InvariantCulture)}; the AWS session duration (DurationSeconds) must be 900 to 43200 seconds (unset: STS's default)");
        }

        foreach ((string? value, string key) in new[] { (o.MetadataEndpoint, "MetadataEndpoint"), (o.ContainerEndpoint, "ContainerEndpoint") })
        {
            if (AwsEnvironment.Setting(value, null) is { } uri && !(Uri.TryCreate(uri, UriKind.Absolute, out Uri? u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)))
            {
                errors.Add($"{section}:{key} '{uri}' is not an absolute http:// or https:// URI, such as http://127.0.0.1:8080");
            }
        }

        // The configured endpoint and region; the variables are checked by the roles that call STS (a registration that
        // never calls STS does not fail over an AWS_ENDPOINT_URL meant for another tool).
        if (AwsEnvironment.Setting(o.StsEndpoint, null) is not null || AwsEnvironment.Setting(o.Region, null) is not null)
        {
            _ = Endpoint(o, section, errors, (null, null, "no profile"));
        }
    }

    private static AwsStaticSpec? MapAccessKey(CloudCredentialsOptions o, string section, List<string> errors)
    {
        string? id = AwsEnvironment.Setting(o.AccessKeyId, AwsEnvironment.AccessKeyId);
        string? secret = AwsEnvironment.Setting(o.AccessKeySecret, AwsEnvironment.SecretAccessKey);
        if (id is null || secret is null)
        {
            errors.Add($"{section}:AccessKeyId and {section}:AccessKeySecret are required for Type '{AwsCredentialTypes.AccessKey}' with Cloud 'aws'; set them in configuration or the {AwsEnvironment.AccessKeyId} and {AwsEnvironment.SecretAccessKey} environment variables");
            return null;
        }

        // A configured key takes only a configured token: a stray AWS_SESSION_TOKEN must not be paired with it.
        string? token = AwsEnvironment.Setting(o.AccessKeyId, null) is null ? AwsEnvironment.Setting(o.SecurityToken, AwsEnvironment.SessionToken) : AwsEnvironment.Setting(o.SecurityToken, null);
        return new AwsStaticSpec(id, secret, token);
    }

    private static AssumeRoleSpec? MapAssumeRole(CloudCredentialsOptions o, string section, List<string> errors)
    {
        string? roleArn = AwsEnvironment.Setting(o.RoleArn, null);
        if (roleArn is null)
        {
            errors.Add($"{section}:RoleArn is required for Type '{AwsCredentialTypes.AssumeRole}'; set the ARN of the role to assume");
        }

        // The source: the configured key, else the named profile, else the AWS default chain.
        CredentialSpec source = AwsEnvironment.Setting(o.AccessKeyId, null) is not null || AwsEnvironment.Setting(o.AccessKeySecret, null) is not null
            ? MapAccessKey(o, section, errors) ?? (CredentialSpec)new DeclinedSpec(AwsCredentialProviderNames.Static, "invalid")
            : AwsEnvironment.Setting(o.Profile, null) is not null ? (CredentialSpec?)MapProfile(o, section, errors) ?? new DeclinedSpec(AwsCredentialProviderNames.Profile, "invalid")
            : AwsDefaultChainSpec.Resolve(o, section);
        AwsStsEndpoint? endpoint = Endpoint(o, section, errors, new AwsProfileSpec(o, section, Strict: false).StsSettings());
        return roleArn is null || endpoint is null ? null
            : new AssumeRoleSpec(source, new AwsRoleRequest(roleArn, AwsEnvironment.Setting(o.RoleSessionName, null) ?? string.Empty, o.RoleSessionExpiration, AwsEnvironment.Setting(o.ExternalId, null), AwsEnvironment.Setting(o.Policy, null)), endpoint);
    }

    private static WebIdentitySpec? MapWebIdentity(CloudCredentialsOptions o, string section, List<string> errors)
    {
        string? roleArn = AwsEnvironment.Setting(o.RoleArn, AwsEnvironment.RoleArn);
        string? tokenFile = AwsEnvironment.Setting(o.WebIdentityTokenFile, AwsEnvironment.WebIdentityTokenFile);
        if (roleArn is null)
        {
            errors.Add($"{section}:RoleArn is required for Type '{AwsCredentialTypes.WebIdentity}'; set it in configuration or the {AwsEnvironment.RoleArn} environment variable");
        }

        if (tokenFile is null)
        {
            errors.Add($"{section}:WebIdentityTokenFile is required for Type '{AwsCredentialTypes.WebIdentity}'; set it in configuration or the {AwsEnvironment.WebIdentityTokenFile} environment variable");
        }

        string? sessionName = AwsEnvironment.Setting(o.RoleSessionName, AwsEnvironment.RoleSessionName);
        if (sessionName is not null && !RoleSessionName.IsValid(sessionName))
        {
            errors.Add($"{AwsEnvironment.RoleSessionName} '{sessionName}' is invalid; {RoleSessionName.Rule}");
        }

        string configuredBy = AwsEnvironment.Setting(o.WebIdentityTokenFile, null) is null ? AwsEnvironment.WebIdentityTokenFile : $"{section}:WebIdentityTokenFile";
        AwsStsEndpoint? endpoint = Endpoint(o, section, errors, new AwsProfileSpec(o, section, Strict: false).StsSettings());
        return roleArn is null || tokenFile is null || endpoint is null ? null
            : new WebIdentitySpec(roleArn, tokenFile, sessionName, endpoint, o.RoleSessionExpiration, AwsEnvironment.Setting(o.Policy, null), configuredBy);
    }

    private static CredentialProcessSpec? MapProcess(CloudCredentialsOptions o, string section, List<string> errors)
    {
        if (AwsEnvironment.Setting(o.CredentialProcess, null) is not { } command)
        {
            errors.Add($"{section}:CredentialProcess is required for Type '{AwsCredentialTypes.Process}'; set the command that prints the credentials JSON");
            return null;
        }

        return new CredentialProcessSpec(command, $"{section}:CredentialProcess");
    }

    private static AwsProfileSpec? MapProfile(CloudCredentialsOptions o, string section, List<string> errors)
    {
        var spec = new AwsProfileSpec(o, section, Strict: true);
        try
        {
            _ = spec.ResolveNow(); // at start: a missing or broken profile is a start-up error
            return spec;
        }
        catch (CredentialUnavailableException ex)
        {
            errors.Add($"{section}:Type '{AwsCredentialTypes.Profile}': {ex.Reason ?? ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// The registration's STS endpoint; a problem (naming the setting or variable) is added to <paramref name="errors"/>
    /// once. <paramref name="profile"/> gives the profile's <c>endpoint_url</c>/<c>region</c> for the types that call
    /// STS; the common check of the configured values passes none (a type that never calls STS reads no profile).
    /// </summary>
    private static AwsStsEndpoint? Endpoint(CloudCredentialsOptions o, string section, List<string> errors, (string? EndpointUrl, string? Region, string Name) profile)
    {
        AwsStsEndpoint? endpoint = AwsStsEndpoint.Resolve((o.StsEndpoint, $"{section}:StsEndpoint"), (o.Region, $"{section}:Region"), profile, out string? problem);
        if (problem is not null && !errors.Contains(problem))
        {
            errors.Add(problem);
        }

        return endpoint;
    }

    /// <summary>An explicit Type whose source declines is a start-up error.</summary>
    private static CredentialSpec? Accept(CredentialSpec? spec, string section, string type, List<string> errors)
    {
        if (spec is DeclinedSpec declined)
        {
            errors.Add($"{section}:Type is '{type}' but {declined.Reason}; configure it or choose another Type");
            return null;
        }

        return spec;
    }

    private static CredentialSpec? Error(List<string> errors, string message)
    {
        errors.Add(message);
        return null;
    }
}
