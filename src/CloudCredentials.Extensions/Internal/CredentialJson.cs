using System.Globalization;
using System.Text.Json;

namespace CloudCredentials.Internal;

/// <summary>
/// Lenient readers for the JSON of credential responses (STS, ECS metadata, credentials URI, CloudSSO, OAuth) and of
/// External command output: case-insensitive property lookup, strings or numbers as text, and UTC expiration times.
/// </summary>
internal static class CredentialJson
{
    private static readonly string[] ExpirationFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>Parses <paramref name="body"/> as a JSON object; <see langword="null"/> when it is not one.</summary>
    public static JsonDocument? TryParseObject(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Gets a property by exact name, else case-insensitively; <see langword="false"/> when absent.</summary>
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

    /// <summary>Gets a string (or number, as its JSON text) property; <see langword="null"/> when absent, null, blank or of another kind.</summary>
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

    /// <summary>Gets an integer property (a JSON number or a numeric string); <see langword="null"/> when absent or not an integer.</summary>
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
    /// Parses an <c>Expiration</c> as invariant-culture UTC: <c>yyyy-MM-ddTHH:mm:ssZ</c>, with or without fractional seconds.
    /// </summary>
    public static bool TryParseExpiration(string? value, out DateTimeOffset expiration)
    {
        if (value is not null && DateTimeOffset.TryParseExact(
                TrimFraction(value.Trim()),
                ExpirationFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out expiration))
        {
            return true;
        }

        expiration = default;
        return false;
    }

    /// <summary>Cuts fractional seconds to the 7 digits .NET can hold (<c>...00.123456789Z</c> → <c>...00.1234567Z</c>).</summary>
    private static string TrimFraction(string value)
    {
        int dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !value.EndsWith('Z'))
        {
            return value;
        }

        int digits = value.Length - 1 - (dot + 1);
        return digits > 7 ? string.Concat(value.AsSpan(0, dot + 8), "Z") : value;
    }

    /// <summary>
    /// Parses an expiration the way CloudSSO, OAuth and External commands may write it: any invariant-culture date and
    /// time (<c>2026-01-01T00:00:00Z</c>, with or without fractional seconds or an offset; a time without an offset is
    /// taken as UTC), or an integer as epoch seconds. STS, ECS and credentials URI answers use the stricter
    /// <see cref="TryParseExpiration"/>.
    /// </summary>
    public static bool TryParseLenientExpiration(string? text, out DateTimeOffset expiration)
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

    /// <summary>Formats a time the way the services write it: <c>yyyy-MM-ddTHH:mm:ssZ</c>, invariant culture.</summary>
    public static string FormatUtc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
