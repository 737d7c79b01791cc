using System.Net;

namespace CloudCredentials.Http;

/// <summary>Sends one CloudSSO/OAuth request and turns transport failures into <see cref="CredentialUnavailableException"/>s naming the endpoint.</summary>
internal static class SessionHttp
{
    /// <summary>Sends <paramref name="request"/> and reads the whole body as text.</summary>
    /// <exception cref="CredentialUnavailableException">The request failed or timed out (the caller's cancellation is rethrown as is).</exception>
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(
        HttpClient httpClient, HttpRequestMessage request, string providerName, string endpoint, CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return (response.StatusCode, body);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new CredentialUnavailableException(providerName, $"request to {endpoint} timed out; check network access to it and retry", ex)
            {
                Endpoint = endpoint,
            };
        }
        catch (HttpRequestException ex)
        {
            // HttpRequestException messages name the host and the socket error, never headers or bodies.
            throw new CredentialUnavailableException(providerName, $"request to {endpoint} failed: {ex.Message}", ex)
            {
                Endpoint = endpoint,
                StatusCode = ex.StatusCode,
            };
        }
    }
}
