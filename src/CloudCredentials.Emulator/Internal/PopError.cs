using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal;

/// <summary>The POP (Alibaba Cloud RPC gateway) error body: <c>{"RequestId","HostId","Code","Message","Recommend"}</c>.</summary>
internal static class PopError
{
    public static JsonObject Create(HttpContext context, string code, string message)
    {
        string requestId = Responses.NewRequestId();
        string host = context.Request.Host.HasValue ? context.Request.Host.Value! : "sts.aliyuncs.com";
        return new JsonObject
        {
            ["RequestId"] = requestId,
            ["HostId"] = host,
            ["Code"] = code,
            ["Message"] = message,
            ["Recommend"] = $"https://api.aliyun.com/troubleshoot?q={Uri.EscapeDataString(code)}&product=Sts&requestId={requestId}",
        };
    }

    public static Task WriteAsync(HttpContext context, int status, string code, string message) =>
        Responses.WriteJsonAsync(context, status, Create(context, code, message));

    /// <summary>The gateway's wording for a required parameter that is absent.</summary>
    public static string MissingMessage(string parameter) =>
        $"The input parameter \"{parameter}\" that is mandatory for processing this request is not supplied.";
}
