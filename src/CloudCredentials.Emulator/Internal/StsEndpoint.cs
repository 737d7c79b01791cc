using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// STS <c>2015-04-01</c> at <c>/</c>: checks what every call needs (method, form body, <c>Action</c>, <c>Version</c>),
/// then hands <c>AssumeRole</c> (RPC signature V2 checked over the union of query and form with the real HTTP method)
/// to <see cref="AssumeRoleHandler"/> and the anonymous <c>AssumeRoleWithOIDC</c> to <see cref="AssumeRoleWithOidcHandler"/>.
/// Errors are POP error JSON, as the real service sends.
/// </summary>
internal sealed class StsEndpoint
{
    public const string Version = "2015-04-01";

    private readonly StsResponses _responses;
    private readonly AssumeRoleHandler _assumeRole;
    private readonly AssumeRoleWithOidcHandler _assumeRoleWithOidc;

    public StsEndpoint(EmulatorSettings settings, IssuedCredentialStore issued, NonceStore nonces, EmulatorStats stats)
    {
        _responses = new StsResponses(settings, issued, stats);
        _assumeRole = new AssumeRoleHandler(new StsRequestAuthenticator(settings, new AlibabaKeyResolver(settings, issued), nonces), _responses);
        _assumeRoleWithOidc = new AssumeRoleWithOidcHandler(settings, _responses);
    }

    public Task HandleAsync(HttpContext context, StsRequest request)
    {
        if (!TryReadAction(request, out string action, out StsError error))
        {
            return _responses.ErrorAsync(context, error);
        }

        return action == "AssumeRole" ? _assumeRole.HandleAsync(context, request) : _assumeRoleWithOidc.HandleAsync(context, request);
    }

    /// <summary>A GET or POST with a readable body naming a supported <c>Action</c> of this <c>Version</c>.</summary>
    private static bool TryReadAction(StsRequest request, out string action, out StsError error)
    {
        action = string.Empty;
        error = default;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsPost(request.Method))
        {
            error = StsError.BadRequest("UnsupportedHTTPMethod", "This http method is not supported.");
            return false;
        }

        if (request.MalformedBody)
        {
            error = StsError.BadRequest("InvalidParameter", "The request body is not a valid application/x-www-form-urlencoded form.");
            return false;
        }

        action = request.Get("Action") ?? string.Empty;
        if (action.Length == 0)
        {
            error = StsError.Missing("MissingAction", "Action");
            return false;
        }

        if (action is not ("AssumeRole" or "AssumeRoleWithOIDC"))
        {
            error = StsError.BadRequest("InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
            return false;
        }

        string? version = request.Get("Version");
        if (string.IsNullOrEmpty(version))
        {
            error = StsError.Missing("MissingVersion", "Version");
            return false;
        }

        if (!string.Equals(version, Version, StringComparison.Ordinal))
        {
            error = StsError.BadRequest("InvalidVersion", "Specified parameter Version is not valid.");
            return false;
        }

        return true;
    }
}
