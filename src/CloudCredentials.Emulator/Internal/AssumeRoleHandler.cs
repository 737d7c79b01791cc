using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// <c>AssumeRole</c>: a signed call (see <see cref="StsRequestAuthenticator"/>) with a required <c>RoleSessionName</c>.
/// STS keys it issues can sign further calls (chained roles).
/// </summary>
internal sealed class AssumeRoleHandler(StsRequestAuthenticator authenticator, StsResponses responses)
{
    public Task HandleAsync(HttpContext context, StsRequest request)
    {
        // 1. The gateway's common parameters and the signature; 2. the API's own parameters.
        if (!authenticator.TryAuthenticate(request, out StsError error)
            || !StsParameters.TryReadRoleArn(request, out RoleArn role, out error)
            || !StsParameters.TryReadSession(request, sessionNameRequired: true, out StsSession session, out error))
        {
            return responses.ErrorAsync(context, error);
        }

        return responses.CredentialsAsync(context, role, session.Name, session.DurationSeconds, oidcTokenInfo: null);
    }
}
