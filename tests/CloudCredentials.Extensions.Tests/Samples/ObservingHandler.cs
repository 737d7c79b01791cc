namespace CloudCredentials.Tests.Samples;

/// <summary>Reports each request to an <see cref="HttpObserver"/>.</summary>
internal sealed class ObservingHandler(HttpObserver observer) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        DateTimeOffset sentAt = observer.OnSent();
        try
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            observer.Record(sentAt, await response.Content.ReadAsStringAsync(cancellationToken));
            return response;
        }
        finally
        {
            observer.OnDone();
        }
    }
}
