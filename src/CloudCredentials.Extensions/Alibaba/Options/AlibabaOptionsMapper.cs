using System.Globalization;
using CloudCredentials.Alibaba.CredentialsUri;
using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Static;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Credentials;
using CloudCredentials.Http;

namespace CloudCredentials.Alibaba.Options;

/// <summary>
/// The mapping step for typed options: turns <see cref="CloudCredentialsOptions"/> into a resolved
/// <see cref="CredentialSpec"/>, applying the official ALIBABA_CLOUD_* fallbacks, and collects every problem as a
/// message that names the setting and the fix. The startup validator and the registration both use it, so they can
/// never disagree. Adding a credential type adds one arm to <see cref="Map"/>.
/// </summary>
internal static class AlibabaOptionsMapper
{
    /// <summary>The accepted values of the <c>Type</c> setting.</summary>
    public static readonly string[] SupportedTypes =
    [
        CredentialTypes.AccessKey, CredentialTypes.Sts, CredentialTypes.Bearer, CredentialTypes.RamRoleArn,
        CredentialTypes.OidcRoleArn, CredentialTypes.EcsRamRole, CredentialTypes.CredentialsUri, "default",
    ];

    /// <summary>The longest delay given to a timer or a timed cancellation (their limit is about 49.7 days).</summary>
    private static readonly TimeSpan MaximumTimerDelay = TimeSpan.FromDays(49);

    /// <summary>
    /// Maps the options. Returns <see langword="null"/> for the default chain (no Type, or <c>default</c>; see
    /// <see cref="Resolve"/>), and also when <paramref name="errors"/> received a problem.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="section">The configuration path of the options, to name settings in errors.</param>
    /// <param name="errors">Receives every problem.</param>
    /// <returns>The spec, or <see langword="null"/>.</returns>
    public static CredentialSpec? Map(CloudCredentialsOptions options, string section, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (string bindingError in options.BindingErrors)
        {
            errors.Add(bindingError);
        }

        ValidateCommon(options, section, errors);
        string? type = string.IsNullOrWhiteSpace(options.Type) ? null : options.Type.Trim();
        if (type is CredentialTypes.RamRoleArn or CredentialTypes.OidcRoleArn)
        {
            // The default chain uses the variable only for its OIDC member (and CLI profiles' roles): there a bad value
            // declines that member, so the environment's AccessKey still works and the chain's error names it.
            ValidateEnvironmentStsRegion(options, section, errors);
        }
        else if (type is null or "default")
        {
            ValidateExplicitCliConfig(options, section, errors);
        }

        int before = errors.Count;
        CredentialSpec? spec = type switch
        {
            null or "default" => null,
            CredentialTypes.AccessKey => new AccessKeySpec(
                Require(options.AccessKeyId, AlibabaEnvironment.AccessKeyId, section, "AccessKeyId", type, errors),
                Require(options.AccessKeySecret, AlibabaEnvironment.AccessKeySecret, section, "AccessKeySecret", type, errors)),
            CredentialTypes.Sts => new StsTokenSpec(
                Require(options.AccessKeyId, AlibabaEnvironment.AccessKeyId, section, "AccessKeyId", type, errors),
                Require(options.AccessKeySecret, AlibabaEnvironment.AccessKeySecret, section, "AccessKeySecret", type, errors),
                Require(options.SecurityToken, AlibabaEnvironment.SecurityToken, section, "SecurityToken", type, errors)),
            CredentialTypes.Bearer => new BearerSpec(Require(options.BearerToken, null, section, "BearerToken", type, errors)),
            CredentialTypes.RamRoleArn => MapRamRoleArn(options, section, errors),
            CredentialTypes.OidcRoleArn => MapOidcRoleArn(options, section, errors),
            CredentialTypes.EcsRamRole => Accept(EcsRamRoleSpec.Resolve(options.RoleName, null, options), reason => $"{section}:Type is 'ecs_ram_role' but {reason}; unset it or choose another Type", errors),
            CredentialTypes.CredentialsUri => MapCredentialsUri(options, section, errors),
            CredentialTypes.RsaKeyPair => Error(errors, $"{section}:Type 'rsa_key_pair' is deprecated upstream and not supported; use 'ram_role_arn' or 'access_key' instead"),
            _ => Error(errors, $"{section}:Type '{type}' is not a known credential type; use one of: {string.Join(", ", SupportedTypes)} (or leave it empty for the default chain)"),
        };

        return errors.Count > 0 ? null : spec;
    }

    /// <summary>
    /// Maps the options for a registration: the typed spec, or the default chain as the environment describes it now.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="section">The configuration path of the options.</param>
    /// <returns>The spec to build.</returns>
    /// <exception cref="CredentialUnavailableException">The options are invalid (normally caught earlier by ValidateOnStart).</exception>
    public static CredentialSpec Resolve(CloudCredentialsOptions options, string section)
    {
        var errors = new List<string>();
        CredentialSpec? spec = Map(options, section, errors);
        if (errors.Count > 0)
        {
            throw new CredentialUnavailableException(section, string.Join("; ", errors), null);
        }

        return spec ?? DefaultChainSpec.Resolve(options);
    }

    private static RamRoleArnSpec? MapRamRoleArn(CloudCredentialsOptions o, string section, List<string> errors)
    {
        const string type = CredentialTypes.RamRoleArn;
        string id = Require(o.AccessKeyId, AlibabaEnvironment.AccessKeyId, section, "AccessKeyId", type, errors);
        string secret = Require(o.AccessKeySecret, AlibabaEnvironment.AccessKeySecret, section, "AccessKeySecret", type, errors);
        // Only an explicit SecurityToken makes the signer an STS credential (as in the official libraries): a stray
        // ALIBABA_CLOUD_SECURITY_TOKEN must not be paired with a configured long-term AccessKey.
        string? token = Optional(o.SecurityToken, null);
        CredentialSpec source = token is null ? new AccessKeySpec(id, secret) : new StsTokenSpec(id, secret, token);
        string roleArn = Require(o.RoleArn, AlibabaEnvironment.RoleArn, section, "RoleArn", type, errors);
        RoleSessionParameters? session = Session(CredentialProviderNames.RamRoleArn, roleArn, Optional(o.RoleSessionName, AlibabaEnvironment.RoleSessionName), o, section, errors);
        return session is null ? null : new RamRoleArnSpec(source, session, Optional(o.ExternalId, null));
    }

    private static OidcRoleArnSpec? MapOidcRoleArn(CloudCredentialsOptions o, string section, List<string> errors)
    {
        const string type = CredentialTypes.OidcRoleArn;
        string roleArn = Require(o.RoleArn, AlibabaEnvironment.RoleArn, section, "RoleArn", type, errors);
        string providerArn = Require(o.OIDCProviderArn, AlibabaEnvironment.OidcProviderArn, section, "OIDCProviderArn", type, errors);
        string tokenFile = Require(o.OIDCTokenFilePath, AlibabaEnvironment.OidcTokenFile, section, "OIDCTokenFilePath", type, errors);
        RoleSessionParameters? session = Session(CredentialProviderNames.OidcRoleArn, roleArn, Optional(o.RoleSessionName, AlibabaEnvironment.RoleSessionName), o, section, errors);
        return session is null ? null : new OidcRoleArnSpec(session, providerArn, tokenFile);
    }

    private static RoleSessionParameters? Session(string providerName, string roleArn, string? sessionName, CloudCredentialsOptions o, string section, List<string> errors)
    {
        try
        {
            return RoleSessionParameters.Resolve(providerName, roleArn, sessionName, null, Optional(o.Policy, null), Optional(o.StsEndpoint, null), Optional(o.StsRegionId, null), o.EnableVpc, o);
        }
        catch (CredentialUnavailableException ex)
        {
            // An endpoint or region already reported is not reported twice.
            if (!errors.Exists(e => e.StartsWith(section + ":StsEndpoint", StringComparison.Ordinal)
                || e.StartsWith(section + ":StsRegionId", StringComparison.Ordinal)
                || e.StartsWith(AlibabaEnvironment.StsRegion, StringComparison.Ordinal)))
            {
                errors.Add($"{section}:StsEndpoint (or StsRegionId, {AlibabaEnvironment.StsRegion}) is not acceptable: {ex.Reason}");
            }

            return null;
        }
    }

    private static CredentialSpec? MapCredentialsUri(CloudCredentialsOptions o, string section, List<string> errors)
    {
        string uri = Require(o.CredentialsUri, AlibabaEnvironment.CredentialsUri, section, "CredentialsUri", CredentialTypes.CredentialsUri, errors);
        // Checked here, at start, rather than on the first fetch; the message shows the URI without its query.
        return uri.Length == 0 ? null : Accept(CredentialsUriSpec.Resolve(uri, o), problem => $"{section}:CredentialsUri is not acceptable: {problem}", errors);
    }

    /// <summary>An explicit Type whose source declines is a start-up error.</summary>
    private static CredentialSpec? Accept(CredentialSpec spec, Func<string, string> error, List<string> errors)
    {
        if (spec is DeclinedSpec declined)
        {
            errors.Add(error(declined.Reason));
            return null;
        }

        return spec;
    }

    private static void ValidateCommon(CloudCredentialsOptions o, string section, List<string> errors)
    {
        if (o.RoleSessionExpiration is { } d && d != 0 && d < 900)
        {
            errors.Add($"{section}:RoleSessionExpiration is {d.ToString(CultureInfo.InvariantCulture)}; the session duration must be at least 900 seconds (the default is 3600)");
        }

        if (Optional(o.RoleSessionName, null) is { } name && !IsValidSessionName(name))
        {
            errors.Add($"{section}:RoleSessionName '{name}' is invalid; use 2 to 64 letters, digits, '.', '@', '-' or '_'");
        }

        if (o.Timeout is { } t && t < HttpClientSettings.MinimumMilliseconds)
        {
            errors.Add($"{section}:Timeout is {t.ToString(CultureInfo.InvariantCulture)}; give the read timeout in milliseconds, at least {HttpClientSettings.MinimumMilliseconds} (the default is 10000, and 1000 for ECS metadata)");
        }

        else if (o.Timeout is { } tooLong && tooLong > HttpClientSettings.MaximumMilliseconds)
        {
            errors.Add($"{section}:Timeout is {tooLong.ToString(CultureInfo.InvariantCulture)}; give the read timeout in milliseconds, at most {HttpClientSettings.MaximumMilliseconds.ToString(CultureInfo.InvariantCulture)} (ECS metadata allows five times it for all attempts, and that total must stay within one day)");
        }

        if (o.ConnectTimeout is { } c && c < HttpClientSettings.MinimumMilliseconds)
        {
            errors.Add($"{section}:ConnectTimeout is {c.ToString(CultureInfo.InvariantCulture)}; give the connect timeout in milliseconds, at least {HttpClientSettings.MinimumMilliseconds} (the default is 5000, and 1000 for ECS metadata)");
        }
        else if (o.ConnectTimeout is { } connectTooLong && connectTooLong > HttpClientSettings.MaximumMilliseconds)
        {
            errors.Add($"{section}:ConnectTimeout is {connectTooLong.ToString(CultureInfo.InvariantCulture)}; give the connect timeout in milliseconds, at most {HttpClientSettings.MaximumMilliseconds.ToString(CultureInfo.InvariantCulture)} (the default is 5000, and 1000 for ECS metadata)");
        }

        if (Optional(o.MetadataEndpoint, null) is { } metadata && !IsHttpUri(metadata))
        {
            errors.Add($"{section}:MetadataEndpoint '{metadata}' is not an absolute http:// or https:// URI, such as http://100.100.100.200");
        }

        if (o.MetadataUnreachableTtl < TimeSpan.Zero)
        {
            errors.Add($"{section}:MetadataUnreachableTtl must not be negative, such as 00:01:00 (00:00:00 probes the metadata service on every call)");
        }

        if (Optional(o.StsEndpoint, null)?.Trim() is { } sts)
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

        if (Optional(o.StsRegionId, null)?.Trim() is { } region && !StsEndpointResolver.IsRegionId(region))
        {
            errors.Add($"{section}:StsRegionId '{region}' {StsEndpointResolver.NotARegionId}");
        }

        CredentialRefreshOptions r = o.Refresh;
        if (r.RefreshBefore <= TimeSpan.Zero)
        {
            errors.Add($"{section}:Refresh:RefreshBefore must be greater than zero, such as 00:15:00");
        }

        if (r.RetryBaseDelay <= TimeSpan.Zero)
        {
            errors.Add($"{section}:Refresh:RetryBaseDelay must be greater than zero, such as 00:00:01");
        }

        if (r.RetryMaxDelay < r.RetryBaseDelay)
        {
            errors.Add($"{section}:Refresh:RetryMaxDelay must be at least Refresh:RetryBaseDelay");
        }
        else if (r.RetryMaxDelay > MaximumTimerDelay)
        {
            errors.Add($"{section}:Refresh:RetryMaxDelay must be at most {MaximumTimerDelay.ToString("c", CultureInfo.InvariantCulture)}, such as 00:01:00");
        }

        if (r.ClockSkew < TimeSpan.Zero)
        {
            errors.Add($"{section}:Refresh:ClockSkew must not be negative");
        }

        if (r.FetchTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}:Refresh:FetchTimeout must be greater than zero, such as 00:01:00");
        }
        else if (r.FetchTimeout > MaximumTimerDelay)
        {
            errors.Add($"{section}:Refresh:FetchTimeout must be at most {MaximumTimerDelay.ToString("c", CultureInfo.InvariantCulture)}, such as 00:01:15");
        }
    }

    /// <summary>
    /// When the default chain's CLI config.json is named explicitly (<c>Profile</c>, <c>ConfigFile</c>,
    /// <c>ALIBABA_CLOUD_PROFILE</c>, <c>ALIBABA_CLOUD_CONFIG_FILE</c>), a file that exists but cannot be read or parsed
    /// (not JSON, naming the line) fails at start rather than at the first request. A missing file is left to the
    /// chain: the profile may be an INI section.
    /// </summary>
    private static void ValidateExplicitCliConfig(CloudCredentialsOptions o, string section, List<string> errors)
    {
        string? namedBy = Optional(o.ConfigFile, null) is not null ? $"{section}:ConfigFile"
            : AlibabaEnvironment.Get(AlibabaEnvironment.ConfigFile) is not null ? AlibabaEnvironment.ConfigFile
            : Optional(o.Profile, null) is not null ? $"{section}:Profile"
            : AlibabaEnvironment.Get(AlibabaEnvironment.Profile) is not null ? AlibabaEnvironment.Profile
            : null;
        if (namedBy is null || AlibabaEnvironment.GetBool(AlibabaEnvironment.CliProfileDisabled)
            || CliConfigFile.ResolvePath(Optional(o.ConfigFile, null)) is not { } path || !File.Exists(path))
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
    private static void ValidateEnvironmentStsRegion(CloudCredentialsOptions o, string section, List<string> errors)
    {
        if (Optional(o.StsEndpoint, null) is null
            && Optional(o.StsRegionId, null) is null
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

    private static string? Optional(string? value, string? envName)
        => !string.IsNullOrWhiteSpace(value) ? value : envName is null ? null : AlibabaEnvironment.Get(envName);

    private static string Require(string? value, string? envName, string section, string key, string type, List<string> errors)
    {
        string? v = Optional(value, envName);
        if (v is null)
        {
            string env = envName is null ? string.Empty : $" or the {envName} environment variable";
            errors.Add($"{section}:{key} is required for Type '{type}'; set it in configuration{env}");
            return string.Empty;
        }

        return v;
    }

    private static CredentialSpec? Error(List<string> errors, string message)
    {
        errors.Add(message);
        return null;
    }
}
