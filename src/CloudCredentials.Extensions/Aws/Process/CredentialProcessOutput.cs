using System.Text.Json;
using CloudCredentials.Internal;

namespace CloudCredentials.Aws.Process;

/// <summary>
/// The stdout of a <c>credential_process</c>: a JSON object with <c>Version</c> 1, <c>AccessKeyId</c> and
/// <c>SecretAccessKey</c>, and optionally <c>SessionToken</c> and <c>Expiration</c> (ISO 8601; none = never expires).
/// Errors name the field, never a value.
/// </summary>
internal static class CredentialProcessOutput
{
    /// <summary>Parses the output into a credential of type <c>process</c>.</summary>
    /// <param name="stdout">The command's stdout.</param>
    /// <param name="what">Names the command in errors.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="CredentialUnavailableException">The output is not the version 1 JSON.</exception>
    public static CloudCredential Parse(string stdout, string what)
    {
        using JsonDocument? json = CredentialJson.TryParseObject(stdout);
        if (json is null)
        {
            throw Fail($"{what} did not print a JSON object on stdout ({stdout.Trim().Length} characters); it must print {{\"Version\": 1, \"AccessKeyId\": ..., \"SecretAccessKey\": ...}}");
        }

        JsonElement root = json.RootElement;
        if (!CredentialJson.TryGetProperty(root, "Version", out JsonElement version))
        {
            throw Fail($"{what} printed JSON without Version; it must be 1");
        }

        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int v) || v != 1)
        {
            throw Fail($"{what} printed Version {(version.ValueKind == JsonValueKind.Number ? version.GetRawText() : version.ValueKind.ToString())}; only Version 1 is supported");
        }

        string id = Required(root, "AccessKeyId", what);
        string secret = Required(root, "SecretAccessKey", what);
        string? token = CredentialJson.GetString(root, "SessionToken");
        DateTimeOffset? expiration = null;
        if (CredentialJson.GetString(root, "Expiration") is { } text)
        {
            expiration = CredentialJson.TryParseLenientExpiration(text, out DateTimeOffset e)
                ? e
                : throw Fail($"{what} printed an Expiration that is not an ISO 8601 time, such as 2026-01-01T00:00:00Z");
        }

        return CloudCredential.Create(AwsCredentialTypes.Process, AwsCredentialProviderNames.Process, id, secret, string.IsNullOrEmpty(token) ? null : token, expiration);
    }

    private static string Required(JsonElement root, string name, string what)
        => CredentialJson.GetString(root, name) is { Length: > 0 } value ? value : throw Fail($"{what} printed JSON without {name}");

    private static CredentialUnavailableException Fail(string reason) => new(AwsCredentialProviderNames.Process, reason, null);
}
