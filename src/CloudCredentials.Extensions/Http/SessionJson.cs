using System.Globalization;
using System.Text.Json;

namespace CloudCredentials.Http;

/// <summary>
/// Lenient readers for the JSON answered by the CloudSSO and OAuth services and printed by External commands:
/// case-insensitive property lookup, strings or numbers as text, and UTC expiration times.
/// </summary>
internal static class SessionJson
{
    /// <summary>Finds a property by name, exact match first, then ignoring case.</summary>
    public static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            value = default;
            return false;
        }

        if (obj.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (JsonProperty property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>A string (or number, as its JSON text) property; <see langword="null"/> when missing, null or blank.</summary>
    public static string? GetString(JsonElement obj, string name)
    {
        if (!TryGetProperty(obj, name, out JsonElement value))
        {
            return null;
        }

        string? text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    /// <summary>An integer property (a JSON number or a numeric string); <see langword="null"/> when missing or not an integer.</summary>
    public static long? GetInt64(JsonElement obj, string name)
    {
        string? text = GetString(obj, name);
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
        {
            return value;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d is >= long.MinValue and <= long.MaxValue
            ? (long)d
            : null;
    }

    /// <summary>
    /// Parses an expiration time as invariant-culture UTC (<c>2026-01-01T00:00:00Z</c>, with or without fractional
    /// seconds; a time without an offset is taken as UTC), or an integer as epoch seconds.
    /// </summary>
    public static bool TryParseExpiration(string? text, out DateTimeOffset expiration)
    {
        expiration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long seconds))
        {
            return TryFromUnixSeconds(seconds, out expiration);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
        {
            expiration = parsed.ToUniversalTime();
            return true;
        }

        return false;
    }

    /// <summary>Converts epoch seconds to a UTC time, rejecting values out of range.</summary>
    public static bool TryFromUnixSeconds(long seconds, out DateTimeOffset value)
    {
        if (seconds < 0 || seconds > 253402300799)
        {
            value = default;
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
