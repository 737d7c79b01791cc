using CloudCredentials.Internal;

namespace CloudCredentials.Http;

/// <summary>An IMDSv2 session token and until when it is reused. <see cref="ToString"/> never prints the value.</summary>
/// <param name="Value">The token (secret).</param>
/// <param name="ReuseUntil">The time after which a new token is fetched (shortly before the token's TTL ends).</param>
internal sealed record ImdsToken(string Value, DateTimeOffset ReuseUntil)
{
    /// <inheritdoc />
    public override string ToString() => $"ImdsToken {{ Value = {SecretRedactor.Mask}, ReuseUntil = {CredentialJson.FormatUtc(ReuseUntil)} }}";
}
