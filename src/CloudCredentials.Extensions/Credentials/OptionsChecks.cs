using System.Globalization;
using CloudCredentials.Http;

namespace CloudCredentials.Credentials;

/// <summary>The start-up checks of options that every cloud shares: timeouts and the refresh settings.</summary>
internal static class OptionsChecks
{
    /// <summary>The longest delay given to a timer or a timed cancellation (their limit is about 49.7 days).</summary>
    private static readonly TimeSpan MaximumTimerDelay = TimeSpan.FromDays(49);

    /// <summary>Checks <c>Timeout</c> and <c>ConnectTimeout</c>.</summary>
    public static void ValidateTimeouts(CloudCredentialsOptions o, string section, List<string> errors)
    {
        if (o.Timeout is { } t && t < HttpClientSettings.MinimumMilliseconds)
        {
            errors.Add($"{section}:Timeout is {t.ToString(CultureInfo.InvariantCulture)}; give the read timeout in milliseconds, at least {HttpClientSettings.MinimumMilliseconds} (the default is 10000, and 1000 for ECS metadata)");
        }

        else if (o.Timeout is { } tooLong && tooLong > HttpClientSettings.MaximumMilliseconds)
        {
            errors.Add($"{section}:Timeout is {tooLong.ToString(CultureInfo.InvariantCulture)}; give the read timeout in milliseconds, at most {HttpClientSettings.MaximumMilliseconds.ToString(CultureInfo.InvariantCulture)} (ECS metadata allows five times it for all attempts, and that total must stay within one day)");
        }

        if (o.ConnectTimeout is { } c && c < HttpClientSettings.MinimumMilliseconds)
        {
            errors.Add($"{section}:ConnectTimeout is {c.ToString(CultureInfo.InvariantCulture)}; give the connect timeout in milliseconds, at least {HttpClientSettings.MinimumMilliseconds} (the default is 5000, and 1000 for ECS metadata)");
        }
        else if (o.ConnectTimeout is { } connectTooLong && connectTooLong > HttpClientSettings.MaximumMilliseconds)
        {
            errors.Add($"{section}:ConnectTimeout is {connectTooLong.ToString(CultureInfo.InvariantCulture)}; give the connect timeout in milliseconds, at most {HttpClientSettings.MaximumMilliseconds.ToString(CultureInfo.InvariantCulture)} (the default is 5000, and 1000 for ECS metadata)");
        }
    }

    /// <summary>Checks the <c>Refresh</c> sub-section.</summary>
    public static void ValidateRefresh(CloudCredentialsOptions o, string section, List<string> errors)
    {
        CredentialRefreshOptions r = o.Refresh;
        if (r.RefreshBefore <= TimeSpan.Zero)
        {
            errors.Add($"{section}:Refresh:RefreshBefore must be greater than zero, such as 00:15:00");
        }

        if (r.RetryBaseDelay <= TimeSpan.Zero)
        {
            errors.Add($"{section}:Refresh:RetryBaseDelay must be greater than zero, such as 00:00:01");
        }

        if (r.RetryMaxDelay < r.RetryBaseDelay)
        {
            errors.Add($"{section}:Refresh:RetryMaxDelay must be at least Refresh:RetryBaseDelay");
        }
        else if (r.RetryMaxDelay > MaximumTimerDelay)
        {
            errors.Add($"{section}:Refresh:RetryMaxDelay must be at most {MaximumTimerDelay.ToString("c", CultureInfo.InvariantCulture)}, such as 00:01:00");
        }

        if (r.ClockSkew < TimeSpan.Zero)
        {
            errors.Add($"{section}:Refresh:ClockSkew must not be negative");
        }

        if (r.FetchTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}:Refresh:FetchTimeout must be greater than zero, such as 00:01:00");
        }
        else if (r.FetchTimeout > MaximumTimerDelay)
        {
            errors.Add($"{section}:Refresh:FetchTimeout must be at most {MaximumTimerDelay.ToString("c", CultureInfo.InvariantCulture)}, such as 00:01:15");
        }
    }
}
