namespace CloudCredentials;

/// <summary>How session credentials are refreshed (the <c>CloudCredentials:Refresh</c> sub-section).</summary>
public sealed class CredentialRefreshOptions
{
    /// <summary>
    /// Gets or sets how long before expiry a session credential is refreshed in the background.
    /// The refresh point is <c>Expiration − min(RefreshBefore, lifetime / 2)</c>.
    /// </summary>
    /// <value>The default is 15 minutes.</value>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets the first delay of the jittered exponential backoff after a failed refresh.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the largest delay of the backoff after failed refreshes.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets or sets the clock skew allowed for: a credential is treated as expired this long before its
    /// <c>Expiration</c>, and one that arrives with less than this left is rejected.
    /// </summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets whether host start fetches the first credential (and fails when none can be had).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool WarmUpOnStart { get; set; }

    /// <summary>Gets or sets the longest a refresh may take before callers get an error.</summary>
    /// <value>The default is 75 seconds: longer than an External command's 60-second timeout, so its own error reaches the caller.</value>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(75);
}
