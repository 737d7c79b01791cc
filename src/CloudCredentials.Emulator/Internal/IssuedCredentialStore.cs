using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// Mints fake temporary credentials and remembers them (by AccessKeyId) until well after they expire: Alibaba STS style
/// (<c>STS.…</c> / <c>CAIS…</c>) or, with <paramref name="aws"/>, AWS style (<c>ASIA…</c> / session token).
/// </summary>
internal sealed class IssuedCredentialStore(TimeProvider timeProvider, bool aws = false)
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string UpperAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string TokenAlphabet = Alphanumeric + "+/";
    private const int PruneThreshold = 10_000;

    private readonly ConcurrentDictionary<string, IssuedCredential> _issued = new(StringComparer.Ordinal);

    public IssuedCredential Issue(TimeSpan lifetime, string? arn = null)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        PruneIfLarge(now);

        // Whole seconds: the wire format has no fractions, and a credential must not outlive its printed Expiration.
        DateTimeOffset expiration = Truncate(now + lifetime);
        IssuedCredential credential = aws
            ? new IssuedCredential(
                "ASIA" + RandomNumberGenerator.GetString(UpperAlphanumeric, 16),
                RandomNumberGenerator.GetString(TokenAlphabet, 40),
                "IQoJb3JpZ2luX2VjE" + RandomNumberGenerator.GetString(TokenAlphabet, 400),
                expiration,
                arn)
            : new IssuedCredential(
                "STS.NT" + RandomNumberGenerator.GetString(Alphanumeric, 22),
                RandomNumberGenerator.GetString(Alphanumeric, 44),
                "CAIS" + RandomNumberGenerator.GetString(TokenAlphabet, 380),
                expiration,
                arn);
        _issued[credential.AccessKeyId] = credential;
        return credential;
    }

    public bool TryGet(string accessKeyId, out IssuedCredential credential)
    {
        if (_issued.TryGetValue(accessKeyId, out IssuedCredential? found))
        {
            credential = found;
            return true;
        }

        credential = null!;
        return false;
    }

    private static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private void PruneIfLarge(DateTimeOffset now)
    {
        if (_issued.Count < PruneThreshold)
        {
            return;
        }

        foreach (KeyValuePair<string, IssuedCredential> pair in _issued)
        {
            if (pair.Value.Expiration + TimeSpan.FromHours(1) < now)
            {
                _issued.TryRemove(pair);
            }
        }
    }
}
