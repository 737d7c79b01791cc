using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal;

/// <summary>The credentials URI: <c>GET</c> answers <c>{"Code":"Success","AccessKeyId","AccessKeySecret","SecurityToken","Expiration"}</c>.</summary>
internal sealed class CredentialsUriEndpoint(EmulatorSettings settings, IssuedCredentialStore issued, EmulatorStats stats)
{
    public Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return Responses.WriteMethodNotAllowedAsync(context, "GET");
        }

        IssuedCredential credential = issued.Issue(settings.CredentialLifetime);
        stats.OnCredentialIssued();
        var body = new JsonObject
        {
            ["Code"] = "Success",
            ["AccessKeyId"] = credential.AccessKeyId,
            ["AccessKeySecret"] = credential.AccessKeySecret,
            ["SecurityToken"] = credential.SecurityToken,
            ["Expiration"] = Responses.FormatTime(credential.Expiration),
        };
        return Responses.WriteJsonAsync(context, 200, body);
    }
}
