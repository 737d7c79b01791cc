using System.Globalization;
using System.Text.Json;
using CloudCredentials.Internal;

namespace CloudCredentials.Alibaba.External;

/// <summary>
/// Turns what an external command printed on stdout,
/// <c>{"mode":"AK"|"StsToken","access_key_id","access_key_secret","sts_token","expiration"}</c>, into the
/// <see cref="ExternalProvider"/>'s credential, or into a <see cref="CredentialUnavailableException"/> that says what
/// is wrong with it without quoting it (the output holds secrets).
/// </summary>
/// <remarks>
/// An <c>AK</c> result without an expiration is an <c>access_key</c> credential that the cache keeps like a static
/// one; otherwise the credential carries its expiration and asks to be refreshed
/// <see cref="ExternalProvider.RefreshBefore"/> before it.
/// </remarks>
internal sealed class ExternalOutputParser
{
    private const string Name = ExternalProvider.Name;

    private readonly string _where;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the parser.</summary>
    /// <param name="where">Names the profile in error messages, such as <c> (profile 'ext')</c>, or is empty.</param>
    /// <param name="timeProvider">The clock that an expiration must lie after.</param>
    public ExternalOutputParser(string where, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _where = where;
        _timeProvider = timeProvider;
    }

    /// <summary>Parses the command's stdout.</summary>
    /// <param name="stdout">The whole stdout of the command.</param>
    /// <returns>A credential of provider <c>external</c>, of type <c>access_key</c> or <c>sts</c>.</returns>
    /// <exception cref="CredentialUnavailableException">The output is not a valid, unexpired credential.</exception>
    public CloudCredential Parse(string stdout)
    {
        try
        {
            using var document = JsonDocument.Parse(stdout);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"failed to parse external command output{_where}: expected a JSON object on stdout");
            }

            string? mode = CredentialJson.GetString(root, "mode");
            string? accessKeyId = CredentialJson.GetString(root, "access_key_id");
            string? accessKeySecret = CredentialJson.GetString(root, "access_key_secret");
            string? securityToken = CredentialJson.GetString(root, "sts_token");
            if (accessKeyId is null || accessKeySecret is null)
            {
                throw Invalid($"invalid credential response{_where}: access_key_id or access_key_secret is empty");
            }

            bool stsMode = string.Equals(mode, "StsToken", StringComparison.OrdinalIgnoreCase);
            if (stsMode && securityToken is null)
            {
                throw Invalid($"invalid StsToken credential response{_where}: sts_token is empty");
            }

            DateTimeOffset? expiration = null;
            string? expirationText = CredentialJson.GetString(root, "expiration");
            if (expirationText is not null)
            {
                if (!CredentialJson.TryParseLenientExpiration(expirationText, out DateTimeOffset parsed))
                {
                    throw Invalid($"failed to parse external command output{_where}: expiration is not a UTC time like 2026-01-01T00:00:00Z");
                }

                if (parsed <= _timeProvider.GetUtcNow())
                {
                    throw Invalid($"the external command{_where} returned a credential that expired at {CredentialJson.FormatUtc(parsed)}");
                }

                expiration = parsed;
            }

            // An AK answer that still carries a token is used as the session credential it is.
            string type = securityToken is null ? CredentialTypes.AccessKey : CredentialTypes.Sts;
            return CloudCredential.Create(type, Name, accessKeyId, accessKeySecret, securityToken, expiration, ExternalProvider.RefreshBefore);
        }
        catch (JsonException ex)
        {
            // Position only: the output (and JsonException's message, which may quote it) holds secrets.
            throw Invalid(string.Create(
                CultureInfo.InvariantCulture,
                $"failed to parse external command output{_where}: stdout is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0}); the command must print only the credential JSON on stdout"));
        }
    }

    private static CredentialUnavailableException Invalid(string reason) => new(Name, reason, null);
}
