using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudCredentials.Emulator.Internal;

/// <summary>The <c>OIDCTokenInfo</c> object of an <c>AssumeRoleWithOIDC</c> answer.</summary>
internal static class OidcTokenInfo
{
    /// <summary>Claims of the OIDC token when it is a readable JWT; neutral values otherwise. The token itself is never echoed.</summary>
    public static JsonObject Describe(string token, DateTimeOffset now)
    {
        string subject = "emulator-subject";
        string issuer = "https://oidc.emulator.invalid";
        string clientIds = "emulator-client";
        DateTimeOffset issuedAt = now;
        DateTimeOffset expiresAt = now + TimeSpan.FromHours(1);

        string[] parts = token.Split('.');
        if (parts.Length == 3 && TryDecodeJson(parts[1]) is JsonObject claims)
        {
            subject = claims["sub"] is JsonValue sub && sub.TryGetValue(out string? s) ? s : subject;
            issuer = claims["iss"] is JsonValue iss && iss.TryGetValue(out string? i) ? i : issuer;
            clientIds = claims["aud"] switch
            {
                JsonValue one when one.TryGetValue(out string? a) => a,
                JsonArray many => string.Join(',', many.Select(n => n?.ToString() ?? string.Empty)),
                _ => clientIds,
            };
            issuedAt = claims["iat"] is JsonValue iat && iat.TryGetValue(out long iatSeconds) ? DateTimeOffset.FromUnixTimeSeconds(iatSeconds) : issuedAt;
            expiresAt = claims["exp"] is JsonValue exp && exp.TryGetValue(out long expSeconds) ? DateTimeOffset.FromUnixTimeSeconds(expSeconds) : expiresAt;
        }

        return new JsonObject
        {
            ["Subject"] = subject,
            ["Issuer"] = issuer,
            ["ClientIds"] = clientIds,
            ["ExpirationTime"] = Responses.FormatTime(expiresAt),
            ["IssuanceTime"] = Responses.FormatTime(issuedAt),
            ["VerificationInfo"] = "Success",
        };
    }

    private static JsonNode? TryDecodeJson(string base64Url)
    {
        try
        {
            string padded = base64Url.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
            return JsonNode.Parse(Convert.FromBase64String(padded));
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
