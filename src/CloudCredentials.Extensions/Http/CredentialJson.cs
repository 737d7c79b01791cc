using System.Globalization;
using System.Text.Json;

namespace CloudCredentials.Http;

/// <summary>Reading the credential JSON of STS, ECS metadata and credentials URI responses.</summary>
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

    /// <summary>Gets a string (or number, as invariant text) property; <see langword="null"/> when absent, null or empty.</summary>
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
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>
    /// Parses an <c>Expiration</c> as invariant-culture UTC: <c>yyyy-MM-ddTHH:mm:ssZ</c>, with or without fractional seconds.
    /// </summary>
    public static bool TryParseExpiration(string? value, out DateTimeOffset expiration)
    {
        if (value is not null && DateTimeOffset.TryParseExact(
                value.Trim(),
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

    /// <summary>Formats a time the way the services write it: <c>yyyy-MM-ddTHH:mm:ssZ</c>, invariant culture.</summary>
    public static string FormatUtc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
