using System.Text.Json.Nodes;
using CloudCredentials.Emulator.Internal.Signing;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal.Aws;

/// <summary>
/// The container credentials endpoint (ECS task role / EKS Pod Identity, AWS_CREDENTIALS.md §5): <c>GET</c> with the
/// configured <c>Authorization</c> value answers <c>{AccessKeyId, SecretAccessKey, Token, Expiration, RoleArn, AccountId}</c>;
/// no header → 401, another value → 403, both with the <c>{"code","message"}</c> error JSON.
/// </summary>
internal sealed class AwsContainerEndpoint(EmulatorSettings settings, IssuedCredentialStore issued, AwsEmulatorStats stats)
{
    public const string RoleName = "EmulatorTaskRole";

    public Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return Responses.WriteMethodNotAllowedAsync(context, "GET");
        }

        if (settings.Aws.ContainerAuthorizationToken is { } expected)
        {
            string? presented = context.Request.Headers.Authorization.Count == 1 ? context.Request.Headers.Authorization.ToString() : null;
            if (string.IsNullOrEmpty(presented))
            {
                stats.OnContainerRejected();
                return Error(context, 401, "Unauthorized", "The Authorization header is missing.");
            }

            if (!SigningText.SameSignature(expected, presented))
            {
                stats.OnContainerRejected();
                return Error(context, 403, "AccessDenied", "The Authorization header value is not the expected token.");
            }
        }

        string roleArn = $"arn:aws:iam::{AwsEmulatorOptions.AccountId}:role/{RoleName}";
        IssuedCredential credential = issued.Issue(
            settings.CredentialLifetime, $"arn:aws:sts::{AwsEmulatorOptions.AccountId}:assumed-role/{RoleName}/emulator-task");
        stats.OnCredentialIssued();
        var body = new JsonObject
        {
            ["AccessKeyId"] = credential.AccessKeyId,
            ["SecretAccessKey"] = credential.AccessKeySecret,
            ["Token"] = credential.SecurityToken,
            ["Expiration"] = Responses.FormatTime(credential.Expiration),
            ["RoleArn"] = roleArn,
            ["AccountId"] = AwsEmulatorOptions.AccountId,
        };
        return Responses.WriteJsonAsync(context, 200, body);
    }

    private static Task Error(HttpContext context, int status, string code, string message) =>
        Responses.WriteJsonAsync(context, status, new JsonObject { ["code"] = code, ["message"] = message });
}
