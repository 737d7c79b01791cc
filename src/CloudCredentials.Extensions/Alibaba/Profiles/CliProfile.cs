using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudCredentials.Alibaba.Profiles;

/// <summary>One profile of the Alibaba Cloud CLI config.json, kept as its JSON object so unknown fields survive write-back.</summary>
internal sealed class CliProfile
{
    public CliProfile(JsonObject json)
    {
        Json = json;
        Name = GetString("name") ?? string.Empty;
        Mode = GetString("mode") ?? string.Empty;
    }

    /// <summary>The profile's JSON object (live: edits are written back by <see cref="CliConfigFile"/>).</summary>
    public JsonObject Json { get; }

    public string Name { get; }

    public string Mode { get; }

    /// <summary>A string field, or <see langword="null"/> when missing, empty or not a scalar.</summary>
    public string? GetString(string key)
    {
        if (!Json.TryGetPropertyValue(key, out JsonNode? node) || node is not JsonValue value)
        {
            return null;
        }

        string? text = value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    /// <summary>
    /// A numeric field (a JSON number or a numeric string), or <see langword="null"/> when missing; throws a
    /// <see cref="FormatException"/> naming the field when it is not a number. The value is never quoted: a token
    /// pasted into the wrong field must not reach an error message.
    /// </summary>
    public long? GetInt64(string key)
    {
        string? text = GetString(key);
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
        {
            return value;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d is >= long.MinValue and <= long.MaxValue)
        {
            return (long)d;
        }

        throw new FormatException($"field '{key}' of profile '{Name}' must be a number (of seconds); its value is not one");
    }

    /// <summary>A boolean field (JSON true/false, or "true"/"1"), <see langword="false"/> when missing.</summary>
    public bool GetBool(string key) => AlibabaEnvironment.ParseBool(GetString(key));
}
