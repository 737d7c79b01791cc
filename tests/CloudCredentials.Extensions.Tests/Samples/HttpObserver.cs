using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace CloudCredentials.Tests.Samples;

/// <summary>
/// Watches the library's HTTP calls from inside its pipeline (below the resilience handler): how many are on the
/// wire now, when (on the injected clock) each credential was issued, and every secret the emulator handed out, so a
/// test can prove none of them was printed.
/// </summary>
internal sealed class HttpObserver(TimeProvider time)
{
    private static readonly string[] SecretFields = ["AccessKeySecret", "SecurityToken"];

    private int _inFlight;

    /// <summary>Gets the number of requests sent and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets the secrets and full AccessKey IDs seen in responses.</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    /// <summary>Gets every credential seen in a response: when its request was sent and when it expires, in order.</summary>
    public ConcurrentQueue<IssuedCredential> Issued { get; } = [];

    /// <summary>Creates a handler that reports to this observer.</summary>
    public DelegatingHandler CreateHandler() => new ObservingHandler(this);

    internal DateTimeOffset OnSent()
    {
        Interlocked.Increment(ref _inFlight);
        return time.GetUtcNow();
    }

    internal void OnDone() => Interlocked.Decrement(ref _inFlight);

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
