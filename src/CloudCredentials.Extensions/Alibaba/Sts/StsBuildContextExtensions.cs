using CloudCredentials.Credentials;
using CloudCredentials.Http;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.Sts;

/// <summary>Creates the STS client of a registration, for the role specs that call STS.</summary>
internal static class StsBuildContextExtensions
{
    /// <summary>Creates an STS client on the registration's named STS HttpClient (cheap: call it per fetch).</summary>
    /// <param name="context">The registration's build context.</param>
    /// <returns>The client.</returns>
    public static StsClient CreateStsClient(this ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new StsClient(context.CreateHttpClient(CloudCredentialsHttpClients.Sts), context.TimeProvider, context.LoggerFactory.CreateLogger<StsClient>());
    }
}
