using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CloudCredentials.DependencyInjection;

/// <summary>
/// Binds one registration's configuration section. A value that cannot be converted (say <c>Timeout: "abc"</c>)
/// does not throw here, deep inside options creation: it is recorded and reported by the validator at host
/// start, naming the key, without echoing the value.
/// </summary>
internal sealed partial class BindCloudCredentialsOptions : IConfigureNamedOptions<CloudCredentialsOptions>
{
    private readonly string _name;
    private readonly IConfiguration _section;

    public BindCloudCredentialsOptions(string name, IConfiguration section)
    {
        _name = name;
        _section = section;
    }

    public void Configure(CloudCredentialsOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, CloudCredentialsOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, _name, StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            _section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            Match m = PathPattern().Match(ex.Message);
            string key = m.Success ? m.Groups["path"].Value : (_section as IConfigurationSection)?.Path ?? CloudCredentialsOptions.SectionName;
            string expected = ex.Message.Contains("Int32", StringComparison.Ordinal) ? "a whole number (milliseconds or seconds, as documented)"
                : ex.Message.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
                : ex.Message.Contains("TimeSpan", StringComparison.Ordinal) ? "a duration such as 00:15:00"
                : "a value of the documented type";
            options.BindingErrors.Add($"{key} is not valid: expected {expected}");
        }
    }

    [GeneratedRegex("at '(?<path>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();
}
