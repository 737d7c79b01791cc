using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudCredentials.Cli;

/// <summary>
/// The <c>--config</c>, <c>--section</c> and <c>--name</c> options, and the services they describe: configuration
/// from the JSON file and the environment variables (as a host reads them) given to <c>AddCloudCredentials</c>,
/// validated as at host start.
/// </summary>
internal sealed class RegistrationOptions
{
    private const string DefaultConfigFile = "appsettings.json";

    private readonly Option<string?> _config = new("--config") { Description = "The JSON configuration file (default: ./appsettings.json when it exists)." };
    private readonly Option<string> _section = new("--section") { Description = "The configuration section of the registrations.", DefaultValueFactory = _ => CloudCredentialsOptions.SectionName };
    private readonly Option<string?> _name = new("--name") { Description = "A named registration (AddCloudCredentials(name, ...)); default: the unnamed one." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_config);
        command.Options.Add(_section);
        command.Options.Add(_name);
    }

    /// <summary>Gets the registration name chosen, or <see langword="null"/> for the default registration.</summary>
    public string? Name(ParseResult parsed) => parsed.GetValue(_name) is { Length: > 0 } name ? name : null;

    /// <summary>Builds the services exactly as a host's <c>AddCloudCredentials</c> call would, and validates the options.</summary>
    /// <exception cref="FileNotFoundException">An explicit <c>--config</c> file does not exist.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public ServiceProvider BuildServices(ParseResult parsed)
    {
        IConfiguration configuration = BuildConfiguration(parsed.GetValue(_config));
        string section = parsed.GetValue(_section) ?? CloudCredentialsOptions.SectionName;
        string? name = Name(parsed);

        var services = new ServiceCollection();
        if (string.Equals(section, CloudCredentialsOptions.SectionName, StringComparison.Ordinal))
        {
            // The root configuration, as an app passes builder.Configuration.
            _ = name is null ? services.AddCloudCredentials(configuration) : services.AddCloudCredentials(name, configuration);
        }
        else
        {
            IConfigurationSection registration = configuration.GetSection(name is null ? section : section + ":" + name);
            _ = name is null ? services.AddCloudCredentials(registration) : services.AddCloudCredentials(name, registration);
        }

        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            // What a host does at start: ValidateOnStart options are checked before anything runs.
            provider.GetService<IStartupValidator>()?.Validate();
            return provider;
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>Describes where the settings come from, for the report's heading.</summary>
    public string Describe(ParseResult parsed)
    {
        string file = parsed.GetValue(_config) ?? (File.Exists(DefaultConfigFile) ? DefaultConfigFile : "no config file");
        string section = parsed.GetValue(_section) ?? CloudCredentialsOptions.SectionName;
        return Name(parsed) is { } name ? $"{section}:{name} from {file} + environment" : $"{section} from {file} + environment";
    }

    private static IConfiguration BuildConfiguration(string? configFile)
    {
        var builder = new ConfigurationBuilder().SetBasePath(Directory.GetCurrentDirectory());
        if (configFile is null)
        {
            builder.AddJsonFile(DefaultConfigFile, optional: true);
        }
        else
        {
            string path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The config file {path} (--config) does not exist.", path);
            }

            builder.AddJsonFile(path, optional: false);
        }

        return builder.AddEnvironmentVariables().Build();
    }
}
