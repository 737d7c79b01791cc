using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CloudCredentials.Emulator.Internal.Aws;

/// <summary>
/// EC2 instance metadata (AWS_CREDENTIALS.md §4): the IMDSv2 token (<c>PUT /latest/api/token</c>, TTL 1–21600 s, real
/// expiry on the emulator's clock), the role list and the role's credentials JSON; 401 for an unknown or expired token,
/// and for a GET without a token when IMDSv1 is disabled.
/// </summary>
internal sealed class AwsImdsEndpoints(EmulatorSettings settings, MetadataTokenStore tokens, IssuedCredentialStore issued, AwsEmulatorStats stats)
{
    public const string RoleListPath = "/latest/meta-data/iam/security-credentials/";
    public const string TokenHeader = "X-aws-ec2-metadata-token";
    public const string TokenTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";

    /// <summary>True when a request to the token path is an AWS one (it carries the AWS TTL header).</summary>
    public static bool IsAwsTokenRequest(HttpContext context) => context.Request.Headers.ContainsKey(TokenTtlHeader);

    /// <summary>Reads the TTL header for the stats, before any fault is played.</summary>
    public static int? ReadTtl(HttpContext context) =>
        int.TryParse(context.Request.Headers[TokenTtlHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int ttl) ? ttl : null;

    public static bool HasTokenHeader(HttpContext context) => context.Request.Headers.ContainsKey(TokenHeader);

    public Task HandleTokenAsync(HttpContext context)
    {
        if (!HttpMethods.IsPut(context.Request.Method))
        {
            return Responses.WriteMethodNotAllowedAsync(context, "PUT");
        }

        StringValues header = context.Request.Headers[TokenTtlHeader];
        if (ReadTtl(context) is not { } seconds || seconds < 1 || seconds > MetadataEndpoints.MaxTokenTtlSeconds || header.Count != 1)
        {
            return Responses.WriteTextAsync(context, 400, "400 Bad Request: " + TokenTtlHeader + " must be an integer from 1 to 21600.");
        }

        if (settings.Aws.MaxImdsTokenTtl is { } cap && seconds > cap.TotalSeconds)
        {
            seconds = (int)cap.TotalSeconds;
        }

        string token = tokens.Issue(TimeSpan.FromSeconds(seconds));
        context.Response.Headers[TokenTtlHeader] = seconds.ToString(CultureInfo.InvariantCulture);
        return Responses.WriteTextAsync(context, 200, token);
    }

    public Task HandleRoleListAsync(HttpContext context) =>
        RejectMethodOrToken(context) ?? Responses.WriteTextAsync(context, 200, settings.Aws.RoleName);

    public Task HandleCredentialsAsync(HttpContext context, string roleName)
    {
        if (RejectMethodOrToken(context) is { } rejected)
        {
            return rejected;
        }

        if (!string.Equals(roleName, settings.Aws.RoleName, StringComparison.Ordinal))
        {
            return Responses.WriteNotFoundPageAsync(context);
        }

        DateTimeOffset now = settings.TimeProvider.GetUtcNow();
        IssuedCredential credential = issued.Issue(
            settings.CredentialLifetime, $"arn:aws:sts::{AwsEmulatorOptions.AccountId}:assumed-role/{settings.Aws.RoleName}/i-0emulator0000001");
        stats.OnCredentialIssued();
        var body = new JsonObject
        {
            ["Code"] = "Success",
            ["LastUpdated"] = Responses.FormatTime(now),
            ["Type"] = "AWS-HMAC",
            ["AccessKeyId"] = credential.AccessKeyId,
            ["SecretAccessKey"] = credential.AccessKeySecret,
            ["Token"] = credential.SecurityToken,
            ["Expiration"] = Responses.FormatTime(credential.Expiration),
        };
        return Responses.WriteJsonAsync(context, 200, body);
    }

    private Task? RejectMethodOrToken(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return Responses.WriteMethodNotAllowedAsync(context, "GET");
        }

        bool valid = HasTokenHeader(context)
            ? tokens.IsValid(context.Request.Headers[TokenHeader].ToString())
            : !settings.Aws.ImdsV1Disabled;
        if (valid)
        {
            return null;
        }

        stats.OnImdsUnauthorized();
        return Responses.WriteTextAsync(context, 401, "401 Unauthorized");
    }
}
