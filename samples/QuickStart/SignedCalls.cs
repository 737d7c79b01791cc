using System.Net;
using System.Text.Json;
using CloudCredentials.Signing;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Samples.QuickStart;

/// <summary>
/// The quick start's cloud call: STS <c>GetCallerIdentity</c> at the emulator through a named HttpClient whose last
/// handler signs every attempt (ACS3-HMAC-SHA256) with the credential of the moment. The emulator verifies each
/// signature with its own code, so a 200 proves the credential was usable at that moment.
/// </summary>
internal sealed class SignedCalls(IHttpClientFactory clients)
{
    /// <summary>The name of the signed HttpClient.</summary>
    public const string ClientName = "alibaba-sts";

    /// <summary>Gets the number of calls made.</summary>
    public int Calls { get; private set; }

    /// <summary>Gets the number of calls answered 200.</summary>
    public int Succeeded { get; private set; }

    /// <summary>Registers the signed client: retries (standard resilience handler) outside, the signer inside them.</summary>
    public static void AddClient(IServiceCollection services, Uri endpoint)
    {
        IHttpClientBuilder sts = services.AddHttpClient(ClientName, c => c.BaseAddress = endpoint);
        sts.AddStandardResilienceHandler();
        sts.AddAlibabaCloudSigning();
    }

    /// <summary>Calls GetCallerIdentity; returns the caller's ARN, or <see langword="null"/> and what went wrong.</summary>
    public async Task<(string? Arn, string Outcome)> GetCallerIdentityAsync(CancellationToken cancellationToken)
    {
        Calls++;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/").SetAcsAction("GetCallerIdentity", "2015-04-01");
        try
        {
            using HttpResponseMessage response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (response.StatusCode == HttpStatusCode.OK && body.RootElement.TryGetProperty("Arn", out JsonElement arn))
            {
                Succeeded++;
                return (arn.GetString(), "200");
            }

            string code = body.RootElement.TryGetProperty("Code", out JsonElement c) ? c.GetString() ?? "?" : "?";
            return (null, $"HTTP {(int)response.StatusCode} {code}");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or CredentialUnavailableException)
        {
            return (null, ex.GetType().Name + ": " + ex.Message);
        }
    }
}
