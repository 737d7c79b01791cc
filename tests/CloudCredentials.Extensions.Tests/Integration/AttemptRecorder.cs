using System.Collections.Concurrent;
using System.Net;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Integration;

/// <summary>One attempt as the signer left it (after any tampering) and the emulator's status code.</summary>
internal sealed record SignedAttempt(RecordedRequest Request, HttpStatusCode Status);

/// <summary>
/// The attempts of one client, recorded innermost (after the signer), with an optional tamper step that changes the
/// signed request before it goes out — a man in the middle, as the server would see it.
/// </summary>
internal sealed class AttemptRecorder(Func<HttpRequestMessage, Task>? tamper)
{
    private readonly ConcurrentQueue<SignedAttempt> _attempts = new();
    private readonly Func<HttpRequestMessage, Task>? _tamper = tamper;

    public IReadOnlyList<SignedAttempt> Attempts => [.. _attempts];

    /// <summary>The header values of every attempt, in order.</summary>
    public IReadOnlyList<string?> Header(string name) => [.. _attempts.Select(a => a.Request.Header(name))];

    /// <summary>A handler for one client pipeline (IHttpClientFactory builds one per handler lifetime).</summary>
    public DelegatingHandler CreateHandler() => new Handler(this);

    private sealed class Handler(AttemptRecorder recorder) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (recorder._tamper is { } change)
            {
                await change(request);
            }

            RecordedRequest sent = await RecordedRequest.CaptureAsync(request, cancellationToken);
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            recorder._attempts.Enqueue(new SignedAttempt(sent, response.StatusCode));
            return response;
        }
    }
}
