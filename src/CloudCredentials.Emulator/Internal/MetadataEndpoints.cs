using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// ECS instance metadata: the IMDSv2 token (<c>PUT /latest/api/token</c>), the role list and the role's credentials,
/// with real token expiry on the emulator's clock.
/// </summary>
internal sealed class MetadataEndpoints(
    EmulatorSettings settings,
    MetadataTokenStore tokens,
    IssuedCredentialStore issued,
    EmulatorStats stats)
{
    public const string TokenPath = "/latest/api/token";
    public const string RoleListPath = "/latest/meta-data/ram/security-credentials/";
    public const string TokenHeader = "X-aliyun-ecs-metadata-token";
    public const string TokenTtlHeader = "X-aliyun-ecs-metadata-token-ttl-seconds";
    public const int MaxTokenTtlSeconds = 21_600;

    /// <summary>Reads the TTL header for the stats, before any fault is played.</summary>
    public static int? ReadTtl(HttpContext context) =>
        int.TryParse(context.Request.Headers[TokenTtlHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int ttl) ? ttl : null;

    public Task HandleTokenAsync(HttpContext context)
    {
        if (!HttpMethods.IsPut(context.Request.Method))
        {
            return Responses.WriteMethodNotAllowedAsync(context, "PUT");
        }

        StringValues header = context.Request.Headers[TokenTtlHeader];
        if (StringValues.IsNullOrEmpty(header))
        {
            return Responses.WriteTextAsync(context, 400, "Missing header " + TokenTtlHeader + ".");
        }

        int? ttl = ReadTtl(context);
        if (ttl is not { } seconds || seconds < 1 || seconds > MaxTokenTtlSeconds)
        {
            return Responses.WriteTextAsync(
                context,
                400,
                string.Create(CultureInfo.InvariantCulture, $"Invalid header {TokenTtlHeader}: must be an integer from 1 to {MaxTokenTtlSeconds}."));
        }

        string token = tokens.Issue(TimeSpan.FromSeconds(seconds));
        context.Response.Headers[TokenTtlHeader] = seconds.ToString(CultureInfo.InvariantCulture);
        return Responses.WriteTextAsync(context, 200, token);
    }

    public Task HandleRoleListAsync(HttpContext context)
    {
        if (RejectMethodOrToken(context) is { } rejected)
        {
            return rejected;
        }

        return Responses.WriteTextAsync(context, 200, settings.RoleName);
    }

    public Task HandleCredentialsAsync(HttpContext context, string roleName)
    {
        if (RejectMethodOrToken(context) is { } rejected)
        {
            return rejected;
        }

        if (!string.Equals(roleName, settings.RoleName, StringComparison.Ordinal))
        {
            return Responses.WriteNotFoundPageAsync(context);
        }

        DateTimeOffset now = settings.TimeProvider.GetUtcNow();
        IssuedCredential credential = issued.Issue(
            settings.CredentialLifetime, $"acs:ram::{AcsV3.AcsIdentity.AccountId}:assumed-role/{settings.RoleName}/vm-ram-i-emulator");
        stats.OnCredentialIssued();
        var body = new JsonObject
        {
            ["AccessKeyId"] = credential.AccessKeyId,
            ["AccessKeySecret"] = credential.AccessKeySecret,
            ["Expiration"] = Responses.FormatTime(credential.Expiration),
            ["SecurityToken"] = credential.SecurityToken,
            ["LastUpdated"] = Responses.FormatTime(now),
            ["Code"] = "Success",
        };
        return Responses.WriteJsonAsync(context, 200, body);
    }

    /// <summary>True when the request carries the IMDSv2 token header (even an empty one).</summary>
    public static bool HasTokenHeader(HttpContext context) => context.Request.Headers.ContainsKey(TokenHeader);

    private Task? RejectMethodOrToken(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return Responses.WriteMethodNotAllowedAsync(context, "GET");
        }

        if (HasTokenHeader(context))
        {
            string token = context.Request.Headers[TokenHeader].ToString();
            if (token.Length == 0 || !tokens.IsValid(token))
            {
                stats.OnMetadataTokenRejected();
                return Responses.WriteTextAsync(context, 401, "401 Unauthorized: the metadata token is invalid or has expired.");
            }
        }
        else if (settings.RequireImdsV2)
        {
            stats.OnMetadataTokenRejected();
            return Responses.WriteTextAsync(context, 403, "403 Forbidden: IMDSv1 is disabled on this instance; send a token from PUT " + TokenPath + ".");
        }

        return null;
    }
}
