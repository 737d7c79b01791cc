using System.Globalization;
using CloudCredentials.Internal;

namespace CloudCredentials;

/// <summary>
/// An immutable credential: an AccessKey pair, optionally with a security token, or a bearer token.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> prints the type, provider, expiration and a masked AccessKeyId, never a secret.
/// Do not keep instances: ask <see cref="ICredentialSource"/> for the current one on every use.
/// </remarks>
public sealed class CloudCredential
{
    /// <summary>Creates a credential.</summary>
    /// <param name="type">The credential type, see <see cref="CredentialTypes"/>.</param>
    /// <param name="providerName">The name of the provider that produced it, such as <c>default/env</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="type"/> or <paramref name="providerName"/> is null or empty.</exception>
    public CloudCredential(string type, string providerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        Type = type;
        ProviderName = providerName;
    }

    /// <summary>Gets the AccessKey ID, or <see langword="null"/> for a bearer credential.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>Gets the AccessKey secret, or <see langword="null"/> for a bearer credential. Never printed.</summary>
    public string? AccessKeySecret { get; init; }

    /// <summary>Gets the STS security token of a session credential, or <see langword="null"/>. Never printed.</summary>
    public string? SecurityToken { get; init; }

    /// <summary>Gets the bearer token of a <c>bearer</c> credential, or <see langword="null"/>. Never printed.</summary>
    public string? BearerToken { get; init; }

    /// <summary>Gets when the credential expires, or <see langword="null"/> for a credential that does not expire.</summary>
    public DateTimeOffset? Expiration { get; init; }

    /// <summary>Gets the credential type, such as <c>access_key</c>, <c>sts</c> or <c>ecs_ram_role</c>. Never null.</summary>
    public string Type { get; }

    /// <summary>Gets the full nested name of the provider that produced it, such as <c>default/cli_profile/ram_role_arn/static_ak</c>.</summary>
    public string ProviderName { get; }

    /// <summary>
    /// Gets how long before <see cref="Expiration"/> the producing provider wants the credential refreshed,
    /// or <see langword="null"/> for the configured default (External: 180 s; ECS: 1 h prefetch).
    /// </summary>
    internal TimeSpan? RefreshBefore { get; init; }

    /// <summary>
    /// Gets whether the cache may keep serving this credential past its expiration while its source fails or answers
    /// with an already-expired credential (AWS static stability: set only by the AWS IMDS and container providers; the
    /// cache then retries every 5–10 minutes and warns once per extension). Kept by <see cref="WithProviderName"/>, so it
    /// survives a chain that renames the credential. Every other credential is never served expired.
    /// </summary>
    internal bool StaticStability { get; init; }

    /// <summary>Returns a copy with another provider name, such as the default chain's <c>default/&lt;inner&gt;</c>.</summary>
    /// <summary>Creates a session (or key) credential from the four fields every credential service answers with.</summary>
    /// <param name="type">The credential type.</param>
    /// <param name="providerName">The provider that produced it.</param>
    /// <param name="accessKeyId">The AccessKey id.</param>
    /// <param name="accessKeySecret">The AccessKey secret.</param>
    /// <param name="securityToken">The security token, or <see langword="null"/> for a long-term key.</param>
    /// <param name="expiration">When it expires, or <see langword="null"/> for never.</param>
    /// <param name="refreshBefore">The provider's refresh lead, or <see langword="null"/> for the cache's.</param>
    /// <returns>The credential.</returns>
    internal static CloudCredential Create(
        string type,
        string providerName,
        string? accessKeyId,
        string? accessKeySecret,
        string? securityToken,
        DateTimeOffset? expiration,
        TimeSpan? refreshBefore = null) => new(type, providerName)
        {
            AccessKeyId = accessKeyId,
            AccessKeySecret = accessKeySecret,
            SecurityToken = securityToken,
            Expiration = expiration,
            RefreshBefore = refreshBefore,
        };

    internal CloudCredential WithProviderName(string providerName) => WithTypeAndProviderName(Type, providerName);

    /// <summary>Returns a copy with another type and provider name.</summary>
    internal CloudCredential WithTypeAndProviderName(string type, string providerName) => Copy(type, providerName, StaticStability);

    /// <summary>Returns a copy that the cache may serve past its expiration (see <see cref="StaticStability"/>).</summary>
    internal CloudCredential WithStaticStability() => Copy(Type, ProviderName, staticStability: true);

    private CloudCredential Copy(string type, string providerName, bool staticStability) => new(type, providerName)
    {
        AccessKeyId = AccessKeyId,
        AccessKeySecret = AccessKeySecret,
        SecurityToken = SecurityToken,
        BearerToken = BearerToken,
        Expiration = Expiration,
        RefreshBefore = RefreshBefore,
        StaticStability = staticStability,
    };

    /// <summary>Masks an AccessKey ID for display: its first four characters followed by <c>***</c>.</summary>
    /// <param name="accessKeyId">The AccessKey ID, or <see langword="null"/>.</param>
    /// <returns>The masked value, or <c>(none)</c> when <paramref name="accessKeyId"/> is empty.</returns>
    public static string MaskAccessKeyId(string? accessKeyId)
    {
        if (string.IsNullOrEmpty(accessKeyId))
        {
            return "(none)";
        }

        return accessKeyId.Length <= 4 ? "***" : string.Concat(accessKeyId.AsSpan(0, 4), "***");
    }

    /// <summary>Returns a description without secrets: type, provider, expiration and masked AccessKeyId.</summary>
    /// <returns>For example <c>CloudCredential { Type = sts, Provider = default/env, AccessKeyId = STS.***, Expiration = 2026-01-01T00:00:00Z }</c>.</returns>
    public override string ToString()
    {
        string expiration = Expiration is { } e ? CredentialJson.FormatUtc(e) : "never";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"CloudCredential {{ Type = {Type}, Provider = {ProviderName}, AccessKeyId = {MaskAccessKeyId(AccessKeyId)}, Expiration = {expiration} }}");
    }
}
