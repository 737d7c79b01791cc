using System.Globalization;
using CloudCredentials.Diagnostics;

namespace CloudCredentials.Cli;

/// <summary>How the tool prints values.</summary>
internal static class Format
{
    /// <summary>An expiration in UTC, or <c>never</c>.</summary>
    public static string Expiration(DateTimeOffset? expiration)
        => expiration is { } e ? e.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "never";

    /// <summary>A duration in whole milliseconds.</summary>
    public static string Milliseconds(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>An outcome as the doctor table shows it.</summary>
    public static string Outcome(ProviderOutcome outcome) => outcome switch
    {
        ProviderOutcome.Answered => "ANSWERS",
        ProviderOutcome.Declined => "declined",
        ProviderOutcome.Failed => "FAILED",
        ProviderOutcome.NotReached => "not reached",
        _ => "skipped",
    };
}
