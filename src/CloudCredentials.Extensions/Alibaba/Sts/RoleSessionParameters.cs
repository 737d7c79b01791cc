using System.Globalization;
using CloudCredentials.Http;

namespace CloudCredentials.Alibaba.Sts;

/// <summary>
/// The role-session parameters of both STS calls (AssumeRole and AssumeRoleWithOIDC), resolved once by
/// <see cref="Resolve"/>: the STS endpoint (spec §3.1), the session duration and the session name.
/// </summary>
/// <param name="RoleArn">The role to assume.</param>
/// <param name="RoleSessionName">The session name; <see langword="null"/> until the spec's build gives it the default <c>credentials-dotnet-&lt;unix ms&gt;</c>.</param>
/// <param name="DurationSeconds">The session duration (at least 900; default 3600).</param>
/// <param name="Policy">An optional policy restricting the session.</param>
/// <param name="StsEndpoint">The STS endpoint.</param>
internal sealed record RoleSessionParameters(string RoleArn, string? RoleSessionName, int DurationSeconds, string? Policy, Uri StsEndpoint)
{
    /// <summary>The session duration when none is configured: 3600 seconds.</summary>
    public const int DefaultDurationSeconds = 3600;

    /// <summary>
    /// Resolves the parameters of one role: a value of the profile (or of the typed options) first, then the
    /// registration's options (<c>StsEndpoint</c>, <c>StsRegionId</c>, <c>EnableVpc</c>, <c>RoleSessionExpiration</c>),
    /// then the environment (<c>ALIBABA_CLOUD_STS_REGION</c>, <c>ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED</c>) and defaults.
    /// </summary>
    /// <param name="providerName">The provider, for the error.</param>
    /// <param name="roleArn">The role.</param>
    /// <param name="roleSessionName">The session name, or <see langword="null"/> for the default.</param>
    /// <param name="durationSeconds">The duration, or <see langword="null"/> (or 0) for the options' or the default.</param>
    /// <param name="policy">The policy, or <see langword="null"/>.</param>
    /// <param name="stsEndpoint">The endpoint of the profile, or <see langword="null"/> for the options'.</param>
    /// <param name="stsRegionId">The region of the profile, or <see langword="null"/> for the options'.</param>
    /// <param name="enableVpc">The VPC switch of the profile, or <see langword="null"/> for the options'.</param>
    /// <param name="options">The registration's options.</param>
    /// <returns>The resolved parameters.</returns>
    /// <exception cref="CredentialUnavailableException">
    /// The STS endpoint is not a host name or an http(s) URI, uses plain http to a host <see cref="PlainHttpPolicy"/>
    /// refuses (the answer carries a credential), or the STS region is not a region id.
    /// </exception>
    public static RoleSessionParameters Resolve(
        string providerName,
        string roleArn,
        string? roleSessionName,
        int? durationSeconds,
        string? policy,
        string? stsEndpoint,
        string? stsRegionId,
        bool? enableVpc,
        CloudCredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int duration = durationSeconds is { } s && s != 0 ? s
            : options.RoleSessionExpiration is { } o && o != 0 ? o
            : DefaultDurationSeconds;
        Uri endpoint;
        try
        {
            endpoint = StsEndpointResolver.Resolve(stsEndpoint ?? options.StsEndpoint, stsRegionId ?? options.StsRegionId, enableVpc ?? options.EnableVpc);
        }
        catch (ArgumentException ex)
        {
            throw new CredentialUnavailableException(providerName, $"invalid STS endpoint (StsEndpoint or the profile's sts_endpoint): {ex.Message}", null);
        }
        catch (FormatException ex)
        {
            throw new CredentialUnavailableException(providerName, $"invalid STS region: {ex.Message}", null);
        }

        if (PlainHttpPolicy.Check(endpoint, options.AllowedHttpHosts, "the STS endpoint") is { } problem)
        {
            throw new CredentialUnavailableException(providerName, problem, null);
        }

        return new RoleSessionParameters(roleArn, roleSessionName, duration, policy, endpoint);
    }

    /// <summary>These parameters with the default session name <c>credentials-dotnet-&lt;unix ms&gt;</c> when none is set.</summary>
    /// <param name="timeProvider">The clock the default name is taken from.</param>
    /// <returns>Parameters whose <see cref="RoleSessionName"/> is set.</returns>
    public RoleSessionParameters WithDefaultSessionName(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return RoleSessionName is not null
            ? this
            : this with { RoleSessionName = "credentials-dotnet-" + timeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) };
    }

    /// <summary>The session name; throws when the spec's build did not give it one.</summary>
    /// <returns>The session name.</returns>
    public string RequireSessionName()
        => RoleSessionName ?? throw new InvalidOperationException("The role session name is set by WithDefaultSessionName when the provider is built.");
}
