using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CloudCredentials.DependencyInjection;

/// <summary>
/// Binds one registration's configuration section. A value that cannot be converted (say <c>Timeout: "abc"</c>)
/// does not throw here, deep inside options creation: it is recorded and reported by the validator at host
/// start, naming the key, without echoing the value. So are the shapes the binder would silently ignore: a named
/// registration's section that does not exist, the section (or <c>Refresh</c>) given as a single value, unknown keys
/// and a registration named like an option key.
/// </summary>
internal sealed partial class BindCloudCredentialsOptions : IConfigureNamedOptions<CloudCredentialsOptions>
{
    private readonly string _name;
    private readonly IConfiguration _section;
    private readonly IConfigurationSection? _registrationsRoot;
    private readonly RegistrationNames _names;

    /// <summary>Creates the binding of one registration.</summary>
    /// <param name="name">The options name (empty for the default registration).</param>
    /// <param name="section">The section to bind.</param>
    /// <param name="registrationsRoot">
    /// The <c>CloudCredentials</c> section when <paramref name="section"/> is <c>CloudCredentials:{name}</c> of a root
    /// configuration (to list the sections that exist), else <see langword="null"/>.
    /// </param>
    /// <param name="names">Every registration of the service collection (to know which are configured in code).</param>
    public BindCloudCredentialsOptions(string name, IConfiguration section, IConfigurationSection? registrationsRoot, RegistrationNames names)
    {
        _name = name;
        _section = section;
        _registrationsRoot = registrationsRoot;
        _names = names;
    }

    public void Configure(CloudCredentialsOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, CloudCredentialsOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, _name, StringComparison.Ordinal))
        {
            return;
        }

        if (_section is IConfigurationSection section)
        {
            CheckShape(section, options.BindingErrors);
        }

        try
        {
            _section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            Match m = PathPattern().Match(ex.Message);
            string key = m.Success ? m.Groups["path"].Value : (_section as IConfigurationSection)?.Path ?? CloudCredentialsOptions.SectionName;
            string leaf = key[(key.LastIndexOf(':') + 1)..];
            string expected = ex.Message.Contains("Int32", StringComparison.Ordinal) ? leaf switch
                {
                    nameof(CloudCredentialsOptions.Timeout) or nameof(CloudCredentialsOptions.ConnectTimeout) => "a whole number of milliseconds",
                    nameof(CloudCredentialsOptions.RoleSessionExpiration) => "a whole number of seconds",
                    _ => "a whole number",
                }
                : ex.Message.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
                : ex.Message.Contains("TimeSpan", StringComparison.Ordinal) ? "a duration such as 00:15:00"
                : "a value of the documented type";
            options.BindingErrors.Add($"{key} is not valid: expected {expected}");
        }
    }

    private void CheckShape(IConfigurationSection section, List<string> errors)
    {
        bool byNameFromRoot = _registrationsRoot is not null && !string.IsNullOrEmpty(_name);
        if (byNameFromRoot && FindProperty(typeof(CloudCredentialsOptions), _name) is { } clash)
        {
            errors.Add($"The registration name '{_name}' clashes with the option key '{clash.Name}': {section.Path} is also the {clash.Name} setting of the {CloudCredentialsOptions.SectionName} section; give the registration another name");
            return;
        }

        if (!section.Exists())
        {
            // The default registration without a section means the default chain; a named one means a typo.
            if (!string.IsNullOrEmpty(_name) && !_names.IsConfiguredInCode(_name))
            {
                errors.Add(_registrationsRoot is { } root
                    ? $"{section.Path} does not exist, so the registration '{_name}' has no settings; {DescribeSections(root)} (a registration configured in code needs no section)"
                    : $"{section.Path} does not exist, so the registration '{_name}' has no settings; check the section passed to AddCloudCredentials (a registration configured in code needs no section)");
            }

            return;
        }

        if (!string.IsNullOrEmpty(section.Value))
        {
            errors.Add($"{section.Path} is a single value, not a section; set {section.Path}:Type instead, for example \"{section.Key}\": {{ \"Type\": \"access_key\", ... }}");
            return;
        }

        // The default registration's CloudCredentials section also holds the named registrations' sections.
        bool holdsNamedSections = string.IsNullOrEmpty(_name) && string.Equals(section.Path, CloudCredentialsOptions.SectionName, StringComparison.OrdinalIgnoreCase);
        CheckKeys(section, typeof(CloudCredentialsOptions), holdsNamedSections, errors);
    }

    /// <summary>Reports unknown keys (case-insensitive, like the binder) and values of the wrong shape; never a value.</summary>
    private static void CheckKeys(IConfigurationSection section, Type type, bool holdsNamedSections, List<string> errors)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            bool hasChildren = child.GetChildren().Any();
            bool hasValue = !string.IsNullOrEmpty(child.Value);
            PropertyInfo? property = FindProperty(type, child.Key);
            if (property is null)
            {
                if (holdsNamedSections && hasChildren)
                {
                    continue; // a named registration's section
                }

                errors.Add($"{section.Path}: unknown key '{child.Key}'{Suggest(type, child.Key)}");
            }
            else if (property.PropertyType == typeof(CredentialRefreshOptions))
            {
                if (hasValue)
                {
                    errors.Add($"{child.Path} is a single value, but {property.Name} is a section with the keys {string.Join(", ", Properties(property.PropertyType).Select(p => p.Name))}");
                }

                CheckKeys(child, property.PropertyType, false, errors);
            }
            else if (property.PropertyType != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(property.PropertyType))
            {
                if (hasValue)
                {
                    errors.Add($"{child.Path} is a single value, but {property.Name} is a list, such as \"{property.Name}\": [ \"creds.internal\" ]");
                }
            }
            else if (hasChildren)
            {
                errors.Add(holdsNamedSections
                    ? $"{child.Path} is a section, but {property.Name} takes a single value; a registration named '{child.Key}' clashes with the option key '{property.Name}': give it another name"
                    : $"{child.Path} is a section, but {property.Name} takes a single value");
            }
        }
    }

    private static string DescribeSections(IConfigurationSection root)
    {
        List<string> sections = [.. root.GetChildren()
            .Where(c => c.GetChildren().Any() && FindProperty(typeof(CloudCredentialsOptions), c.Key) is null)
            .Select(c => c.Key)];
        return sections.Count == 0
            ? $"{root.Path} has no registration sections"
            : $"the sections under {root.Path} are: {string.Join(", ", sections)}";
    }

    private static IEnumerable<PropertyInfo> Properties(Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance);

    private static PropertyInfo? FindProperty(Type type, string key)
        => Properties(type).FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The closest key (at most two edits away), as <c> (did you mean 'RoleArn'?)</c>, or nothing.</summary>
    private static string Suggest(Type type, string key)
    {
        (string Name, int Distance) best = Properties(type)
            .Select(p => (p.Name, Distance: EditDistance(p.Name.ToUpperInvariant(), key.ToUpperInvariant())))
            .MinBy(p => p.Distance);
        return best.Distance <= Math.Min(2, key.Length / 3) ? $" (did you mean '{best.Name}'?)" : string.Empty;
    }

    private static int EditDistance(string a, string b)
    {
        int[] previous = [.. Enumerable.Range(0, b.Length + 1)];
        int[] current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex("at '(?<path>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();
}
