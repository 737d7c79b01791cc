using CloudCredentials;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Aws.InstanceMetadata;
using CloudCredentials.Caching;
using CloudCredentials.DependencyInjection;
using CloudCredentials.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers CloudCredentials: typed options bound from configuration and validated at start, the credential
/// provider (a <c>Type</c> or the default chain), its refreshing cache as <see cref="ICredentialSource"/>, the
/// HttpClients for ECS metadata, STS, credentials URI and sign-in services, and the background refresh service.
/// </summary>
public static partial class CloudCredentialsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default (unnamed) <see cref="ICredentialSource"/>, bound from configuration. A root
    /// configuration binds its <c>CloudCredentials</c> section; an <see cref="IConfigurationSection"/> is bound as is.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The app configuration (for example <c>builder.Configuration</c>), or a section.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddCloudCredentials(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IConfiguration section = configuration as IConfigurationSection ?? configuration.GetSection(CloudCredentialsOptions.SectionName);
        return AddCore(services, Options.Options.DefaultName, section, null, null);
    }

    /// <summary>Registers the default (unnamed) <see cref="ICredentialSource"/>, configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddCloudCredentials(this IServiceCollection services, Action<CloudCredentialsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, Options.Options.DefaultName, null, configure, null);
    }

    /// <summary>
    /// Registers a named <see cref="ICredentialSource"/>, resolved as a keyed service
    /// (<c>[FromKeyedServices("name")] ICredentialSource</c>). A root configuration binds its
    /// <c>CloudCredentials:{name}</c> section; an <see cref="IConfigurationSection"/> is bound as is.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The registration name and service key; not empty.</param>
    /// <param name="configuration">The app configuration, or a section.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddCloudCredentials(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection? registrationsRoot = configuration is IConfigurationSection ? null : configuration.GetSection(CloudCredentialsOptions.SectionName);
        IConfiguration section = configuration as IConfigurationSection ?? configuration.GetSection(SectionPath(name));
        return AddCore(services, name, section, null, null, registrationsRoot);
    }

    /// <summary>Registers a named <see cref="ICredentialSource"/> configured in code, resolved as a keyed service.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The registration name and service key; not empty.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddCloudCredentials(this IServiceCollection services, string name, Action<CloudCredentialsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, name, null, configure, null);
    }

    /// <summary>The configuration path of a registration's section: <c>CloudCredentials</c> or <c>CloudCredentials:{name}</c>.</summary>
    private static string SectionPath(string name)
        => string.IsNullOrEmpty(name) ? CloudCredentialsOptions.SectionName : CloudCredentialsOptions.SectionName + ":" + name;

    private static IServiceCollection AddCore(
        IServiceCollection services,
        string name,
        IConfiguration? section,
        Action<CloudCredentialsOptions>? configure,
        Func<IServiceProvider, ICredentialProvider>? providerFactory,
        IConfigurationSection? registrationsRoot = null)
    {
        // Computed once: validation messages and provider errors name settings under this path.
        string sectionPath = (section as IConfigurationSection)?.Path ?? SectionPath(name);

        RegistrationNames names = GetOrAddNames(services);
        if (configure is not null || providerFactory is not null)
        {
            names.MarkConfiguredInCode(name);
        }

        OptionsBuilder<CloudCredentialsOptions> options = services.AddOptions<CloudCredentialsOptions>(name);
        if (section is not null)
        {
            services.AddSingleton<IConfigureOptions<CloudCredentialsOptions>>(new BindCloudCredentialsOptions(name, section, registrationsRoot, names));
            services.AddSingleton<IOptionsChangeTokenSource<CloudCredentialsOptions>>(sp => new ValidatedConfigurationChangeTokenSource(name, section, sp));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (!names.Add(name))
        {
            if (providerFactory is not null)
            {
                throw new InvalidOperationException($"A credential registration named '{name}' already exists; give the custom provider a name of its own.");
            }

            // Same name again: the configuration above composes with the earlier registration.
            return services;
        }

        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<CloudCredentialsOptions>>(new CloudCredentialsOptionsValidator(name, sectionPath));

        services.AddCloudCredentialsRefreshInfrastructure();
        services.TryAddSingleton<ImdsTokenCache>();
        services.TryAddKeyedSingleton<ImdsTokenCache>(InstanceMetadataSpec.TokenCacheKey);
        services.TryAddSingleton(sp => new CliConfigWriter(sp.GetRequiredService<TimeProvider>()));

        services.AddCloudCredentialsHttpClients();

        services.AddKeyedSingleton(name, (sp, _) => new CredentialRegistration(name, sectionPath, sp, providerFactory));
        services.AddSingleton(new CredentialCacheRegistration(name, sp => sp.GetRequiredKeyedService<CredentialRegistration>(name).Source));
        if (string.IsNullOrEmpty(name))
        {
            services.TryAddSingleton<ICredentialSource>(sp => sp.GetRequiredKeyedService<CredentialRegistration>(name).Source);
        }

        services.AddKeyedSingleton<ICredentialSource>(name, (sp, _) => sp.GetRequiredKeyedService<CredentialRegistration>(name).Source);
        return services;
    }

    private static RegistrationNames GetOrAddNames(IServiceCollection services)
    {
        foreach (ServiceDescriptor d in services)
        {
            if (d.ServiceType == typeof(RegistrationNames) && !d.IsKeyedService && d.ImplementationInstance is RegistrationNames existing)
            {
                return existing;
            }
        }

        var names = new RegistrationNames();
        services.AddSingleton(names);
        return names;
    }
}
