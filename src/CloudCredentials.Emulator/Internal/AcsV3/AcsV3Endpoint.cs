using System.Text.Json.Nodes;
using CloudCredentials.Emulator.Internal.Signing;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal.AcsV3;

/// <summary>
/// The V3-signed (<c>ACS3-HMAC-SHA256</c>) routes: STS <c>GetCallerIdentity</c> RPC-style at <c>/</c> (GET or POST,
/// <c>x-acs-action: GetCallerIdentity</c>, <c>x-acs-version: 2015-04-01</c>) and the ROA-style echo under
/// <see cref="EchoPrefix"/> (any method; also accepts a bearer token). Refusals are POP error JSON.
/// </summary>
internal sealed class AcsV3Endpoint(AcsV3Authenticator authenticator, StsResponses responses)
{
    public const string EchoPrefix = "/roa/echo";
    public const string GetCallerIdentityAction = "GetCallerIdentity";

    /// <summary>True when a request at <c>/</c> is a V3 call rather than an RPC V2 (<c>Signature=</c>) one.</summary>
    public static bool IsV3(CapturedRequest request) =>
        request.Header("x-acs-action") is not null
        || (request.Header("Authorization") ?? string.Empty).StartsWith(Acs3Signature.Algorithm, StringComparison.Ordinal);

    public static bool IsEcho(string path) =>
        string.Equals(path, EchoPrefix, StringComparison.Ordinal) || path.StartsWith(EchoPrefix + "/", StringComparison.Ordinal);

    public Task HandleRpcAsync(HttpContext context, CapturedRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsPost(request.Method))
        {
            return responses.ErrorAsync(context, StsError.BadRequest("UnsupportedHTTPMethod", "This http method is not supported."));
        }

        if (!string.Equals(request.Header("x-acs-action"), GetCallerIdentityAction, StringComparison.Ordinal))
        {
            return responses.ErrorAsync(context, StsError.BadRequest(
                "InvalidAction.NotFound", "Specified api is not found, please check your url and method (the emulator's V3 route serves GetCallerIdentity)."));
        }

        if (!string.Equals(request.Header("x-acs-version"), StsEndpoint.Version, StringComparison.Ordinal))
        {
            return responses.ErrorAsync(context, StsError.BadRequest("InvalidVersion", "Specified parameter Version is not valid."));
        }

        if (!authenticator.TryAuthenticate(request, allowBearer: false, out AcsV3Caller caller, out StsError error))
        {
            return responses.ErrorAsync(context, error);
        }

        return Responses.WriteJsonAsync(context, 200, AcsIdentity.For(caller));
    }

    public Task HandleEchoAsync(HttpContext context, CapturedRequest request)
    {
        if (!authenticator.TryAuthenticate(request, allowBearer: true, out AcsV3Caller caller, out StsError error))
        {
            return responses.ErrorAsync(context, error);
        }

        var body = new JsonObject
        {
            ["RequestId"] = Responses.NewRequestId(),
            ["SignatureType"] = caller.SignatureType,
            ["AccessKeyId"] = caller.AccessKeyId,
            ["Method"] = request.Method,
            ["Path"] = request.RawPath,
            ["CanonicalQuery"] = SigningText.CanonicalQuery(SigningText.ParseQuery(request.RawQuery)),
            ["Action"] = request.Header("x-acs-action"),
            ["Version"] = request.Header("x-acs-version"),
            ["ContentType"] = request.Header("Content-Type"),
            ["BodySha256"] = request.BodySha256,
            ["BodyLength"] = request.Body.Length,
        };
        return Responses.WriteJsonAsync(context, 200, body);
    }
}
