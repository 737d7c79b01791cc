using CloudCredentials.Signing;

namespace CloudCredentials.Samples.WebApi;

/// <summary>
/// <c>GET /caller-identity</c>: a real signed cloud call. Alibaba Cloud STS <c>GetCallerIdentity</c> through a named
/// HttpClient whose last handler signs every attempt (ACS3-HMAC-SHA256) with the current credential; the app code
/// never touches the credential.
/// </summary>
internal static class CallerIdentityEndpoint
{
    /// <summary>The name of the signed HttpClient.</summary>
    public const string ClientName = "alibaba-sts";

    /// <summary>The setting that points the client elsewhere (the sample sets it to the emulator).</summary>
    public const string EndpointSetting = "CloudApi:StsEndpoint";

    private const string DefaultEndpoint = "https://sts.aliyuncs.com";

    /// <summary>Registers the signed client: retries (standard resilience handler) outside, the signer inside them.</summary>
    public static void AddSignedStsClient(this IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = new Uri(configuration[EndpointSetting] ?? DefaultEndpoint);
        IHttpClientBuilder sts = services.AddHttpClient(ClientName, c => c.BaseAddress = endpoint);
        sts.AddStandardResilienceHandler();
        sts.AddAlibabaCloudSigning();
    }

    /// <summary>Calls GetCallerIdentity and returns its JSON answer (who the credential belongs to).</summary>
    public static async Task<IResult> HandleAsync(
        IHttpClientFactory clients, ILoggerFactory loggerFactory, HttpContext context, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/").SetAcsAction("GetCallerIdentity", "2015-04-01");
        try
        {
            using HttpResponseMessage response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return Results.Content(body, "application/json");
            }

            // The cloud's error body (code, message, request id) holds no secret, but it is for the operator.
            loggerFactory.CreateLogger(typeof(CallerIdentityEndpoint).FullName!).LogWarning(
                "GetCallerIdentity answered {Status}: {Body}", (int)response.StatusCode, body);
            return TypedResults.Problem(
                title: "The cloud call failed.",
                detail: $"GetCallerIdentity answered HTTP {(int)response.StatusCode}; the app's log has the cloud's answer.",
                statusCode: StatusCodes.Status502BadGateway);
        }
        catch (CredentialUnavailableException ex)
        {
            return WebApiApp.NoCredential(ex, "GET /caller-identity", loggerFactory, context);
        }
    }
}
