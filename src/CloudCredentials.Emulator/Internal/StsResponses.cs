using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// Writes STS answers: POP error JSON for a refusal (counted in the stats), and the success body with a newly issued
/// credential (<c>RequestId</c>, <c>AssumedRoleUser</c>, <c>Credentials</c> and, for OIDC, <c>OIDCTokenInfo</c>).
/// </summary>
internal sealed class StsResponses(EmulatorSettings settings, IssuedCredentialStore issued, EmulatorStats stats)
{
    /// <summary>Counts <paramref name="error"/> and writes it as POP error JSON.</summary>
    public Task ErrorAsync(HttpContext context, StsError error)
    {
        stats.OnStsError(error.Code);
        return PopError.WriteAsync(context, error.Status, error.Code, error.Message);
    }

    /// <summary>
    /// Issues a credential living <paramref name="durationSeconds"/>, capped at the emulator's credential lifetime, and
    /// writes the 200 answer for <paramref name="role"/> and <paramref name="sessionName"/>.
    /// </summary>
    public Task CredentialsAsync(HttpContext context, RoleArn role, string sessionName, int durationSeconds, JsonObject? oidcTokenInfo)
    {
        TimeSpan lifetime = TimeSpan.FromSeconds(durationSeconds);
        if (settings.CredentialLifetime < lifetime)
        {
            lifetime = settings.CredentialLifetime;
        }

        string arn = $"acs:ram::{role.Account}:assumed-role/{role.Name}/{sessionName}";
        IssuedCredential credential = issued.Issue(lifetime, arn);
        stats.OnCredentialIssued();

        var body = new JsonObject
        {
            ["RequestId"] = Responses.NewRequestId(),
            ["AssumedRoleUser"] = new JsonObject
            {
                ["AssumedRoleId"] = "3" + RandomNumberGenerator.GetString("0123456789", 17) + ":" + sessionName,
                ["Arn"] = arn,
            },
            ["Credentials"] = new JsonObject
            {
                ["SecurityToken"] = credential.SecurityToken,
                ["Expiration"] = Responses.FormatTime(credential.Expiration),
                ["AccessKeySecret"] = credential.AccessKeySecret,
                ["AccessKeyId"] = credential.AccessKeyId,
            },
        };

        if (oidcTokenInfo is not null)
        {
            body["OIDCTokenInfo"] = oidcTokenInfo;
        }

        return Responses.WriteJsonAsync(context, 200, body);
    }
}
