namespace CloudCredentials.Caching;

/// <summary>
/// An immutable view of the cached credential: what to serve and when it must be refreshed or stops being valid.
/// The cache publishes a new instance on every change, so one volatile read gives a consistent view.
/// </summary>
internal sealed class CredentialSnapshot
{
    /// <summary>Creates a snapshot.</summary>
    /// <param name="credential">The credential to serve.</param>
    /// <param name="refreshAt">When to refresh it, or <see langword="null"/> for a static credential.</param>
    /// <param name="expiresAt">When it stops being served (its expiration minus the clock skew), or <see langword="null"/> for a static credential.</param>
    /// <param name="generation">The generation of the provider that produced it (bumped by each provider replacement).</param>
    /// <param name="phase">Where it stands now.</param>
    /// <param name="freshUntil">The <see cref="CacheClock"/> reading from which it is no longer fresh (<see cref="long.MaxValue"/>: never).</param>
    /// <param name="usableUntil">The <see cref="CacheClock"/> reading from which it is no longer served (<see cref="long.MaxValue"/>: never).</param>
    public CredentialSnapshot(
        CloudCredential credential, DateTimeOffset? refreshAt, DateTimeOffset? expiresAt, long generation, CredentialPhase phase, long freshUntil, long usableUntil)
    {
        Credential = credential;
        RefreshAt = refreshAt;
        ExpiresAt = expiresAt;
        Generation = generation;
        Phase = phase;
        FreshUntil = freshUntil;
        UsableUntil = usableUntil;
    }

    /// <summary>Gets the credential to serve.</summary>
    public CloudCredential Credential { get; }

    /// <summary>Gets where the credential stands.</summary>
    public CredentialPhase Phase { get; }

    /// <summary>Gets when to refresh, or <see langword="null"/> for a static credential.</summary>
    public DateTimeOffset? RefreshAt { get; }

    /// <summary>Gets when the credential stops being served, or <see langword="null"/> for a static credential.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>
    /// Gets the <see cref="CacheClock"/> reading from which the credential is no longer fresh (its refresh point), so the
    /// hot path sees the refresh point even when the phase timer has not fired.
    /// </summary>
    public long FreshUntil { get; }

    /// <summary>Gets the <see cref="CacheClock"/> reading from which the credential is no longer served (its expiry).</summary>
    public long UsableUntil { get; }

    /// <summary>Gets the generation of the provider that produced the credential.</summary>
    public long Generation { get; }

    /// <summary>Gets whether the credential may be served at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> for a static credential or before <see cref="ExpiresAt"/>.</returns>
    public bool IsUsableAt(DateTimeOffset now) => ExpiresAt is not { } expiresAt || now < expiresAt;

    /// <summary>Computes the phase at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="clockNow">The current <see cref="CacheClock"/> reading; a deadline passed on either clock counts.</param>
    /// <param name="replacementPending">Whether the provider was replaced since this credential was fetched.</param>
    /// <returns>The phase.</returns>
    public CredentialPhase PhaseAt(DateTimeOffset now, long clockNow, bool replacementPending)
    {
        if (!IsUsableAt(now) || clockNow >= UsableUntil)
        {
            return CredentialPhase.Expired;
        }

        return replacementPending || clockNow >= FreshUntil || (RefreshAt is { } refreshAt && now >= refreshAt)
            ? CredentialPhase.RefreshDue
            : CredentialPhase.Fresh;
    }

    /// <summary>Returns this snapshot in another phase.</summary>
    /// <param name="phase">The new phase.</param>
    /// <returns>This instance when the phase is unchanged, otherwise a copy.</returns>
    public CredentialSnapshot WithPhase(CredentialPhase phase) =>
        phase == Phase ? this : new CredentialSnapshot(Credential, RefreshAt, ExpiresAt, Generation, phase, FreshUntil, UsableUntil);
}
