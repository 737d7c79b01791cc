using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// <c>AssumeRoleWithOIDC</c>: anonymous (no AccessKeyId, no signature). The OIDC token is checked by the optional
/// <see cref="EmulatorOptions.OidcTokenValidator"/>; an absent <c>RoleSessionName</c> gets a generated one.
/// </summary>
internal sealed partial class AssumeRoleWithOidcHandler(EmulatorSettings settings, StsResponses responses)
{
    private const int MinTokenLength = 4;
    private const int MaxTokenLength = 20_000;

    public Task HandleAsync(HttpContext context, StsRequest request)
    {
        if (!StsParameters.TryReadRoleArn(request, out RoleArn role, out StsError error)
            || !TryReadOidcParameters(request, out string token, out error)
            || !StsParameters.TryReadSession(request, sessionNameRequired: false, out StsSession session, out error)
            || !TryValidateToken(token, out error))
        {
            return responses.ErrorAsync(context, error);
        }

        string sessionName = session.Name.Length > 0 ? session.Name : "oidc-" + RandomNumberGenerator.GetHexString(12, lowercase: true);
        return responses.CredentialsAsync(
            context, role, sessionName, session.DurationSeconds, OidcTokenInfo.Describe(token, settings.TimeProvider.GetUtcNow()));
    }

    /// <summary>Reads <c>OIDCProviderArn</c> and <c>OIDCToken</c>, both required.</summary>
    private static bool TryReadOidcParameters(StsRequest request, out string token, out StsError error)
    {
        error = default;
        token = string.Empty;
        string? providerArn = request.Get("OIDCProviderArn");
        if (string.IsNullOrEmpty(providerArn))
        {
            error = StsError.Missing("MissingOIDCProviderArn", "OIDCProviderArn");
            return false;
        }

        if (!OidcProviderArnPattern().IsMatch(providerArn))
        {
            error = StsError.BadRequest("InvalidParameter.OIDCProviderArn", "The parameter OIDCProviderArn is wrongly formed.");
            return false;
        }

        token = request.Get("OIDCToken") ?? string.Empty;
        if (token.Length == 0)
        {
            error = StsError.Missing("MissingOIDCToken", "OIDCToken");
            return false;
        }

        if (token.Length is < MinTokenLength or > MaxTokenLength)
        {
            error = StsError.BadRequest("InvalidParameter.OIDCToken", "The parameter OIDCToken must be 4 to 20000 characters long.");
            return false;
        }

        return true;
    }

    /// <summary>Asks the configured validator, if any; a validator that throws is the service's internal error.</summary>
    private bool TryValidateToken(string token, out StsError error)
    {
        error = default;
        bool accepted;
        try
        {
            accepted = settings.OidcTokenValidator?.Invoke(token) ?? true;
        }
#pragma warning disable CA1031 // A throwing user validator is reported as the service's internal error, never as a crash.
        catch (Exception)
#pragma warning restore CA1031
        {
            error = new StsError(500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.");
            return false;
        }

        if (!accepted)
        {
            error = StsError.BadRequest("AuthenticationFail.OIDCToken.Invalid", "The OIDC token is invalid or has expired.");
            return false;
        }

        return true;
    }

    [GeneratedRegex(@"^acs:ram::[0-9*]{1,32}:oidc-provider/[A-Za-z0-9.@_\-]{1,128}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OidcProviderArnPattern();
}
