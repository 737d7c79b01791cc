using Microsoft.Extensions.Options;

namespace CloudCredentials.DependencyInjection;

/// <summary>
/// Validates one named registration's options at host start (<c>ValidateOnStart</c>): the Type, the keys it
/// requires (after the ALIBABA_CLOUD_* fallbacks), durations, timeouts, endpoints and refresh settings.
/// </summary>
internal sealed class CloudCredentialsOptionsValidator : IValidateOptions<CloudCredentialsOptions>
{
    private readonly string _name;
    private readonly string _section;

    public CloudCredentialsOptionsValidator(string name, string section)
    {
        _name = name;
        _section = section;
    }

    public ValidateOptionsResult Validate(string? name, CloudCredentialsOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, _name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        _ = CloudOptionsMapper.Map(options, _section, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
