using CloudCredentials.Alibaba.CredentialsUri;
using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Static;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Credentials;

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

        AlibabaOptionsChecks.ValidateCommon(options, section, errors);
        string? type = string.IsNullOrWhiteSpace(options.Type) ? null : options.Type.Trim();
        if (type is CredentialTypes.RamRoleArn or CredentialTypes.OidcRoleArn)
        {
            // The default chain uses the variable only for its OIDC member (and CLI profiles' roles): there a bad value
            // declines that member, so the environment's AccessKey still works and the chain's error names it.
            AlibabaOptionsChecks.ValidateEnvironmentStsRegion(options, section, errors);
        }
        else if (type is null or "default")
        {
            AlibabaOptionsChecks.ValidateExplicitCliConfig(options, section, errors);
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

    /// <summary>A setting's value, else the environment variable's (blank counts as unset).</summary>
    internal static string? Optional(string? value, string? envName)
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
