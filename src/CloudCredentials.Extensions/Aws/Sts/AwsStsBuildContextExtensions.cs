using CloudCredentials.Credentials;
using CloudCredentials.Http;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Aws.Sts;

/// <summary>Creates the AWS STS client of a registration (on its named STS HttpClient).</summary>
internal static class AwsStsBuildContextExtensions
{
    /// <summary>Creates a client (cheap: call it per fetch, so the factory's handler rotation applies).</summary>
    public static AwsStsClient CreateAwsStsClient(this ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AwsStsClient(context.CreateHttpClient(CloudCredentialsHttpClients.Sts), context.TimeProvider, context.LoggerFactory.CreateLogger<AwsStsClient>());
    }
}
