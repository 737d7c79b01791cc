using CloudCredentials.Alibaba;
using CloudCredentials.Alibaba.CloudSso;
using CloudCredentials.Alibaba.CredentialsUri;
using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.External;
using CloudCredentials.Alibaba.OAuth;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Static;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Caching;
using CloudCredentials.DependencyInjection;
using CloudCredentials.Diagnostics;
using CloudCredentials.Http;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Credentials;

/// <summary>
/// The one place that turns options (a <c>Type</c>, or the default chain) and <see cref="CredentialSpec"/>s from
/// CLI and INI profiles into providers, applying endpoint and timeout options and the defaults of spec section 0.
/// </summary>
internal sealed class ProviderFactory
{
    /// <summary>The real ECS metadata address; only contacted when nothing overrides it.</summary>
    public const string DefaultMetadataEndpoint = "http://100.100.100.200";

    private readonly string _registrationName;
    private readonly CloudCredentialsOptions _options;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ImdsTokenCache _imdsTokens;
    private readonly CliConfigWriter _configWriter;
    private readonly CloudCredentialsMetrics? _metrics;
    private readonly List<IAsyncDisposable> _owned = [];

    public ProviderFactory(
        string registrationName,
        CloudCredentialsOptions options,
        IHttpClientFactory httpClientFactory,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        ImdsTokenCache imdsTokens,
        CliConfigWriter configWriter,
        CloudCredentialsMetrics? metrics)
    {
        _registrationName = registrationName;
        _options = options;
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _imdsTokens = imdsTokens;
        _configWriter = configWriter;
        _metrics = metrics;
    }

    /// <summary>Inner caches created for signing credentials; disposed with the registration (a copy).</summary>
    public IReadOnlyList<IAsyncDisposable> OwnedResources
    {
        get
        {
            lock (_owned)
            {
                return [.. _owned];
            }
        }
    }

    /// <summary>Creates the provider the options describe.</summary>
    /// <exception cref="CredentialUnavailableException">The options are invalid (normally caught earlier by ValidateOnStart).</exception>
    public ICredentialProvider Create()
    {
        var errors = new List<string>();
        string section = string.IsNullOrEmpty(_registrationName) ? CloudCredentialsOptions.SectionName : CloudCredentialsOptions.SectionName + ":" + _registrationName;
        CredentialSpec? spec = OptionsSpecMapper.Map(_options, section, errors);
        if (errors.Count > 0)
        {
            throw new CredentialUnavailableException(section, string.Join("; ", errors), null);
        }

        return spec is null ? CreateDefaultChain() : Build(spec);
    }

    /// <summary>Builds the default chain from the environment as it is now.</summary>
    public DefaultCredentialChain CreateDefaultChain()
    {
        var providers = new List<ICredentialProvider> { new EnvironmentVariablesProvider() };
        var skipped = new List<string>();

        string? roleArn = AlibabaEnvironment.Get(AlibabaEnvironment.RoleArn);
        string? oidcProviderArn = AlibabaEnvironment.Get(AlibabaEnvironment.OidcProviderArn);
        string? oidcTokenFile = AlibabaEnvironment.Get(AlibabaEnvironment.OidcTokenFile);
        if (roleArn is not null && oidcProviderArn is not null && oidcTokenFile is not null)
        {
            providers.Add(Build(new CredentialSpec.OidcRoleArn(
                roleArn,
                oidcProviderArn,
                oidcTokenFile,
                AlibabaEnvironment.Get(AlibabaEnvironment.RoleSessionName) ?? _options.RoleSessionName,
                _options.RoleSessionExpiration,
                _options.Policy,
                _options.StsEndpoint,
                _options.StsRegionId,
                _options.EnableVpc)));
        }
        else
        {
            skipped.Add("oidc_role_arn (needs ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE)");
        }

        if (AlibabaEnvironment.GetBool(AlibabaEnvironment.CliProfileDisabled))
        {
            skipped.Add("cli_profile (ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true)");
        }
        else
        {
            providers.Add(new CliProfileProvider(_options.ConfigFile, _options.Profile, Build));
        }

        providers.Add(new IniProfileProvider(_options.Profile, Build));

        if (AlibabaEnvironment.GetBool(AlibabaEnvironment.EcsMetadataDisabled))
        {
            skipped.Add("ecs_ram_role (ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)");
        }
        else
        {
            // Build applies the ALIBABA_CLOUD_ECS_METADATA fallback for the role name.
            providers.Add(Build(new CredentialSpec.EcsRamRole(_options.RoleName?.Trim(), _options.DisableIMDSv1)));
        }

        string? uri = AlibabaEnvironment.Get(AlibabaEnvironment.CredentialsUri);
        if (uri is not null)
        {
            providers.Add(BuildOrDecline(new CredentialSpec.CredentialsUri(uri), CredentialsUriProvider.Name));
        }
        else
        {
            skipped.Add("credential_uri (ALIBABA_CLOUD_CREDENTIALS_URI is not set)");
        }

        return new DefaultCredentialChain(providers, skipped, _timeProvider, _options.Refresh.ClockSkew);
    }

    /// <summary>Builds the provider of one spec (recursively for a role's source).</summary>
    public ICredentialProvider Build(CredentialSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        switch (spec)
        {
            case CredentialSpec.AccessKey or CredentialSpec.StsToken or CredentialSpec.Bearer:
                return StaticCredentialProvider.FromSpec(spec);

            case CredentialSpec.RamRoleArn role:
            {
                // Everything that can fail is resolved before the signing cache (a timer-owning resource) exists.
                ICredentialProvider source = Build(role.Source);
                var settings = new RamRoleArnSettings(
                    role.RoleArn,
                    SessionName(role.RoleSessionName),
                    Duration(role.DurationSeconds),
                    role.Policy,
                    role.ExternalId,
                    ResolveSts(CredentialTypes.RamRoleArn, role.StsEndpoint ?? _options.StsEndpoint, role.StsRegionId ?? _options.StsRegionId, role.EnableVpc ?? _options.EnableVpc));
                var signing = new CredentialCache(
                    CredentialRegistration.DisplayName(_registrationName) + "/signing",
                    source,
                    _options.Refresh,
                    _timeProvider,
                    _loggerFactory.CreateLogger<CredentialCache>(),
                    _metrics);
                lock (_owned)
                {
                    _owned.Add(signing);
                }

                return new RamRoleArnProvider(signing, settings, CreateStsClient);
            }

            case CredentialSpec.OidcRoleArn oidc:
            {
                var settings = new OidcRoleArnSettings(
                    oidc.RoleArn,
                    oidc.OidcProviderArn,
                    oidc.OidcTokenFilePath,
                    SessionName(oidc.RoleSessionName),
                    Duration(oidc.DurationSeconds),
                    oidc.Policy,
                    ResolveSts(CredentialTypes.OidcRoleArn, oidc.StsEndpoint ?? _options.StsEndpoint, oidc.StsRegionId ?? _options.StsRegionId, oidc.EnableVpc ?? _options.EnableVpc));
                return new OidcRoleArnProvider(settings, CreateStsClient);
            }

            case CredentialSpec.EcsRamRole ecs:
            {
                if (AlibabaEnvironment.GetBool(AlibabaEnvironment.EcsMetadataDisabled))
                {
                    return new DecliningProvider(CredentialTypes.EcsRamRole, "IMDS credentials are disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true");
                }

                bool disableV1 = ecs.DisableImdsV1 ?? _options.DisableIMDSv1 ?? AlibabaEnvironment.ImdsV1DisabledByEnvironment;
                var settings = new EcsRamRoleSettings(
                    ecs.RoleName ?? AlibabaEnvironment.Get(AlibabaEnvironment.EcsMetadata)?.Trim(),
                    disableV1,
                    new Uri(_options.MetadataEndpoint ?? DefaultMetadataEndpoint, UriKind.Absolute));
                return new EcsRamRoleProvider(settings, CreateMetadataClient);
            }

            case CredentialSpec.CredentialsUri uri:
            {
                string? problem = CredentialsUriProvider.ValidateUri(uri.Uri, _options.AllowedHttpHosts);
                if (problem is not null)
                {
                    throw new CredentialUnavailableException(CredentialsUriProvider.Name, problem, null);
                }

                return new CredentialsUriProvider(new CredentialsUriSettings(new Uri(uri.Uri, UriKind.Absolute)), CreateCredentialsUriClient);
            }

            case CredentialSpec.CloudSso sso:
                return new CloudSsoProvider(
                    new CloudSsoSettings
                    {
                        SignInUrl = sso.SignInUrl,
                        AccountId = sso.AccountId,
                        AccessConfig = sso.AccessConfig,
                        AccessToken = sso.AccessToken,
                        AccessTokenExpire = sso.AccessTokenExpire,
                        ProfileName = sso.ProfileName,
                    },
                    CreateCloudSsoClient,
                    _timeProvider);

            case CredentialSpec.OAuth oauth:
                return new OAuthProvider(
                    new OAuthSettings { ConfigPath = oauth.ConfigPath, ProfileName = oauth.ProfileName, SiteType = oauth.SiteType },
                    CreateOAuthClient,
                    _configWriter,
                    _timeProvider,
                    _loggerFactory.CreateLogger<OAuthProvider>());

            case CredentialSpec.External external:
                return new ExternalProvider(
                    new ExternalSettings
                    {
                        Command = external.Command,
                        ConfigPath = external.ConfigPath,
                        ProfileName = external.ProfileName,
                        Timeout = _options.Timeout is { } ms ? TimeSpan.FromMilliseconds(ms) : ExternalSettings.DefaultTimeout,
                    },
                    _configWriter,
                    _timeProvider,
                    _loggerFactory.CreateLogger<ExternalProvider>());

            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.GetType().Name, "unknown credential spec");
        }
    }

    private ICredentialProvider BuildOrDecline(CredentialSpec spec, string providerName)
    {
        try
        {
            return Build(spec);
        }
        catch (CredentialUnavailableException ex)
        {
            return new DecliningProvider(providerName, ex.Reason ?? ex.Message);
        }
    }

    /// <summary>The STS session duration: the profile's or option's value, where 0 (like unset) means the default 3600 seconds.</summary>
    private int Duration(int? fromSpec)
        => fromSpec is { } s && s != 0 ? s : _options.RoleSessionExpiration is { } o && o != 0 ? o : 3600;

    private static Uri ResolveSts(string providerName, string? endpoint, string? regionId, bool? enableVpc)
    {
        try
        {
            return StsEndpointResolver.Resolve(endpoint, regionId, enableVpc);
        }
        catch (ArgumentException ex)
        {
            throw new CredentialUnavailableException(providerName, $"invalid STS endpoint (StsEndpoint or the profile's sts_endpoint): {ex.Message}", null);
        }
    }

    private string SessionName(string? configured)
        => configured ?? "credentials-dotnet-" + _timeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private HttpClient Client(string kind) => _httpClientFactory.CreateClient(CloudCredentialsHttpClients.Name(kind, _registrationName));

    private StsClient CreateStsClient() => new(Client(CloudCredentialsHttpClients.Sts), _timeProvider, _loggerFactory.CreateLogger<StsClient>());

    private EcsMetadataClient CreateMetadataClient() => new(Client(CloudCredentialsHttpClients.Metadata), _imdsTokens, _timeProvider, _loggerFactory.CreateLogger<EcsMetadataClient>());

    private CredentialsUriClient CreateCredentialsUriClient() => new(Client(CloudCredentialsHttpClients.CredentialsUri), _loggerFactory.CreateLogger<CredentialsUriClient>());

    private CloudSsoClient CreateCloudSsoClient() => new(Client(CloudCredentialsHttpClients.SignIn), _loggerFactory.CreateLogger<CloudSsoClient>());

    private OAuthClient CreateOAuthClient() => new(Client(CloudCredentialsHttpClients.SignIn), _timeProvider, _loggerFactory.CreateLogger<OAuthClient>());
}
