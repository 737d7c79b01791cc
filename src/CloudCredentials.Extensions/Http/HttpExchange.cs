using System.Net;

namespace CloudCredentials.Http;

/// <summary>
/// Sends one request of a credential client (STS, credentials URI, CloudSSO, OAuth) and reads the whole answer as
/// text. A transport failure or timeout becomes a <see cref="CredentialUnavailableException"/> naming the endpoint;
/// the caller's own cancellation is rethrown as is.
/// </summary>
internal static class HttpExchange
{
    /// <summary>Sends <paramref name="request"/> and reads the status, body and media type of the answer.</summary>
    /// <param name="httpClient">The client to send with.</param>
    /// <param name="request">The request.</param>
    /// <param name="providerName">The provider to name in a failure.</param>
    /// <param name="endpoint">The endpoint to name in a failure (shown without its query string).</param>
    /// <param name="failure">How a failure's reason starts, such as <c>could not GET https://host/path</c>; <c>: </c> and the transport error follow.</param>
    /// <param name="advice">What follows the transport error: what to check or do next.</param>
    /// <param name="knownSecrets">Secret values the request carries, removed from the transport error text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status, the body (empty when there is none) and the media type, if any.</returns>
    /// <exception cref="CredentialUnavailableException">The request failed or timed out.</exception>
    public static async Task<(HttpStatusCode Status, string Body, string? MediaType)> SendAsync(
        HttpClient httpClient,
        HttpRequestMessage request,
        string providerName,
        Uri endpoint,
        string failure,
        string advice,
        IEnumerable<string?>? knownSecrets,
        CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
        }
        catch (Exception ex) when (HttpFailure.IsTransport(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw HttpFailure.Create(providerName, $"{failure}: {HttpFailure.DescribeTransport(ex, knownSecrets)}{advice}", endpoint, inner: ex);
        }
    }
}
