using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>An in-memory HTTP server: answers each request with the next responder (the last one repeats).</summary>
public sealed class StubHandler : HttpMessageHandler
{
    private readonly List<Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>> _responders = [];
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _calls;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public int Calls => Volatile.Read(ref _calls);

    public StubHandler Then(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> responder)
    {
        _responders.Add(responder);
        return this;
    }

    public StubHandler Then(Func<RecordedRequest, HttpResponseMessage> responder) =>
        Then((r, _) => Task.FromResult(responder(r)));

    public StubHandler ThenStatus(HttpStatusCode status, string body = "", string contentType = "application/json") =>
        Then(_ => Response(status, body, contentType));

    public StubHandler ThenThrow(Exception exception) => Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    /// <summary>Never answers; completes only when the request is cancelled.</summary>
    public StubHandler ThenHang() => Then(async (_, ct) =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    });

    /// <summary>Completes once <paramref name="count"/> requests have arrived in total (bounded by 30 s of real time).</summary>
    public Task WaitForCallsAsync(int count)
    {
        lock (_waiters)
        {
            if (Calls >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public static HttpResponseMessage Response(HttpStatusCode status, string body = "", string contentType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RecordedRequest recorded = await RecordedRequest.CaptureAsync(request, cancellationToken);
        _requests.Enqueue(recorded);
        int index = Interlocked.Increment(ref _calls) - 1;
        lock (_waiters)
        {
            foreach ((int count, TaskCompletionSource signal) in _waiters.Where(w => w.Count <= index + 1).ToArray())
            {
                signal.TrySetResult();
                _waiters.Remove((count, signal));
            }
        }

        if (_responders.Count == 0)
        {
            throw new InvalidOperationException("StubHandler has no responder.");
        }

        HttpResponseMessage response = await _responders[Math.Min(index, _responders.Count - 1)](recorded, cancellationToken);
        response.RequestMessage = request;
        return response;
    }
}
