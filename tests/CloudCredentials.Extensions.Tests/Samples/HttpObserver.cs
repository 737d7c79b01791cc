using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace CloudCredentials.Tests.Samples;

/// <summary>
/// Watches the library's HTTP calls from inside its pipeline: each whole call (above the resilience handler, so its
/// retries and back-off delays included) and each attempt (below it): how many are under way, whether the current
/// code runs inside a call, when (on the injected clock) each credential was issued, and every secret the emulator
/// handed out, so a test can prove none of them was printed.
/// </summary>
internal sealed class HttpObserver(TimeProvider time)
{
    private static readonly string[] SecretFields = ["AccessKeySecret", "SecurityToken"];

    private readonly AsyncLocal<bool> _inCall = new();
    private int _calls;
    private int _inFlight;

    /// <summary>Raised when a call or an attempt starts or ends.</summary>
    public event Action? Changed;

    /// <summary>Gets the number of calls started and not yet ended.</summary>
    public int CallsInProgress => Volatile.Read(ref _calls);

    /// <summary>Gets whether the code running now runs inside a call (flows with the call's execution context).</summary>
    public bool InCall => _inCall.Value;

    /// <summary>Gets the number of requests sent and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets the secrets and full AccessKey IDs seen in responses.</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    /// <summary>Gets every credential seen in a response: when its request was sent and when it expires, in order.</summary>
    public ConcurrentQueue<IssuedCredential> Issued { get; } = [];

    /// <summary>Creates a handler that reports each attempt to this observer (add it below the resilience handler).</summary>
    public DelegatingHandler CreateHandler() => new ObservingHandler(this);

    /// <summary>Creates a handler that reports each whole call to this observer (add it above the resilience handler).</summary>
    public DelegatingHandler CreateCallHandler() => new CallHandler(this);

    internal DateTimeOffset OnSent()
    {
        Interlocked.Increment(ref _inFlight);
        Changed?.Invoke();
        return time.GetUtcNow();
    }

    internal void OnDone()
    {
        Interlocked.Decrement(ref _inFlight);
        Changed?.Invoke();
    }

    private sealed class CallHandler(HttpObserver observer) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Set inside this async method: it flows into the resilience handler's code, not back out to the caller.
            observer._inCall.Value = true;
            Interlocked.Increment(ref observer._calls);
            observer.Changed?.Invoke();
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref observer._calls);
                observer.Changed?.Invoke();
            }
        }
    }

    internal void Record(DateTimeOffset sentAt, string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            JsonElement credentials = root.TryGetProperty("Credentials", out JsonElement nested) ? nested : root;
            if (credentials.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (string field in SecretFields.Append("AccessKeyId"))
            {
                if (credentials.TryGetProperty(field, out JsonElement value) && value.GetString() is { Length: > 0 } text)
                {
                    Secrets.Add(text);
                }
            }

            if (credentials.TryGetProperty("Expiration", out JsonElement expiration)
                && DateTimeOffset.TryParse(expiration.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset expiresAt))
            {
                Issued.Enqueue(new IssuedCredential(sentAt, expiresAt));
            }
        }
        catch (JsonException)
        {
        }
    }
}

/// <summary>A credential seen on the wire.</summary>
/// <param name="SentAt">When its request was sent, on the injected clock.</param>
/// <param name="Expiration">Its expiration.</param>
internal sealed record IssuedCredential(DateTimeOffset SentAt, DateTimeOffset Expiration);
