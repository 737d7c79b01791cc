using System.Collections.Concurrent;

namespace CloudCredentials.Http;

/// <summary>
/// The IMDSv2 session tokens of the process, one per metadata endpoint (register as a singleton). A token is
/// fetched with a TTL of 6 hours and reused until <see cref="RenewBefore"/> before it ends — one PUT per
/// 6 hours instead of one per GET — and dropped at once when the metadata service rejects it (401/403).
/// Each endpoint has a gate so concurrent callers fetch one token, not many. When a token request fails and
/// IMDSv1 is allowed, the failure is remembered for <see cref="FailureBackoff"/> so that every GET does not pay
/// for another failing (possibly timing-out) PUT.
/// </summary>
internal sealed class ImdsTokenCache
{
    /// <summary>The TTL asked for with every token: 21600 s (6 hours), as in the official libraries.</summary>
    public static readonly TimeSpan TokenTtl = TimeSpan.FromSeconds(21600);

    /// <summary>How long before the TTL ends a token stops being reused: 5 minutes.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Until when a token fetched at <paramref name="requestedAt"/> is reused: <see cref="RenewBefore"/> before its TTL
    /// ends — the <see cref="TokenTtl"/> asked for, or a shorter one the service granted — and at the latest halfway.
    /// </summary>
    /// <param name="requestedAt">When the token PUT was sent.</param>
    /// <param name="grantedTtl">The TTL the service's answer granted, when it says.</param>
    public static DateTimeOffset ReuseUntil(DateTimeOffset requestedAt, TimeSpan? grantedTtl = null)
    {
        TimeSpan ttl = grantedTtl is { } granted && granted < TokenTtl ? granted : TokenTtl;
        return requestedAt + ttl - (RenewBefore < ttl / 2 ? RenewBefore : ttl / 2);
    }

    /// <summary>
    /// How long after a failed token request IMDSv1 is used without asking again (when IMDSv1 is allowed): 10 seconds,
    /// long enough to cover the role-name and credentials GETs of one refresh, short enough that the next refresh asks
    /// for a token again, as the official libraries do.
    /// </summary>
    public static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the token of an endpoint if it may still be reused at <paramref name="now"/>.</summary>
    public ImdsToken? TryGet(Uri baseAddress, DateTimeOffset now)
    {
        ImdsToken? token = SlotFor(baseAddress).Token;
        return token is not null && now < token.ReuseUntil ? token : null;
    }

    /// <summary>Stores the token of an endpoint and forgets any earlier failure.</summary>
    public void Set(Uri baseAddress, ImdsToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Slot slot = SlotFor(baseAddress);
        slot.Token = token;
        slot.FailedUntil = null;
    }

    /// <summary>Remembers that a token request failed; <see cref="TryGetFailure"/> reports it until <paramref name="until"/>.</summary>
    public void SetFailure(Uri baseAddress, DateTimeOffset until) => SlotFor(baseAddress).FailedUntil = until;

    /// <summary>Gets until when token requests to an endpoint are skipped, or <see langword="null"/> when they are not.</summary>
    public DateTimeOffset? TryGetFailure(Uri baseAddress, DateTimeOffset now) =>
        SlotFor(baseAddress).FailedUntil is { } until && now < until ? until : null;

    /// <summary>Drops <paramref name="token"/> if it is still the endpoint's current token (a newer one is kept).</summary>
    public void Invalidate(Uri baseAddress, ImdsToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Slot slot = SlotFor(baseAddress);
        Interlocked.CompareExchange(ref slot.TokenField, null, token);
    }

    /// <summary>
    /// Records a token request that failed for good (no IMDSv1 fallback), so the callers that queued behind it on
    /// <see cref="GateFor"/> share its failure instead of each sending another failing (possibly timing-out) PUT.
    /// </summary>
    public void SetTokenError(Uri baseAddress, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Volatile.Write(ref SlotFor(baseAddress).ErrorField, new TokenError(error));
    }

    /// <summary>Gets the last token request failure recorded by <see cref="SetTokenError"/>; a new instance for each failure.</summary>
    public TokenError? LastTokenError(Uri baseAddress) => Volatile.Read(ref SlotFor(baseAddress).ErrorField);

    /// <summary>Gets the gate that serialises token fetches for an endpoint.</summary>
    public SemaphoreSlim GateFor(Uri baseAddress) => SlotFor(baseAddress).Gate;

    private Slot SlotFor(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        string key = baseAddress.IsAbsoluteUri ? baseAddress.GetLeftPart(UriPartial.Authority) : baseAddress.OriginalString;
        return _slots.GetOrAdd(key, static _ => new Slot());
    }

    private sealed class Slot
    {
#pragma warning disable SA1401, CA1051 // a field so Interlocked can compare-and-swap it
        public ImdsToken? TokenField;
        public TokenError? ErrorField;
#pragma warning restore SA1401, CA1051

        public SemaphoreSlim Gate { get; } = new(1, 1);

        private long _failedUntilTicks;

        // Stored as UTC ticks so concurrent readers never see a torn value; 0 means "no failure".
        public DateTimeOffset? FailedUntil
        {
            get => Interlocked.Read(ref _failedUntilTicks) is var t and not 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;
            set => Interlocked.Exchange(ref _failedUntilTicks, value?.UtcTicks ?? 0);
        }

        public ImdsToken? Token
        {
            get => Volatile.Read(ref TokenField);
            set => Volatile.Write(ref TokenField, value);
        }
    }
}

/// <summary>One failed token request (see <see cref="ImdsTokenCache.SetTokenError"/>); compared by reference.</summary>
/// <param name="Error">Why it failed (no secret in it).</param>
internal sealed record TokenError(Exception Error)
{
    /// <inheritdoc />
    public bool Equals(TokenError? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
