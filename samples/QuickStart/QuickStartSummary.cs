using System.Globalization;

namespace CloudCredentials.Samples.QuickStart;

/// <summary>The quick start's closing Summary: which parts of the story happened, and the verdict.</summary>
internal static class QuickStartSummary
{
    /// <summary>Prints the Summary: one [ok]/[FAILED] line per part of the story, then the verdict.</summary>
    public static void Print(QuickStartResult result, StoryWriter story)
    {
        bool refreshed = result.RefreshLeadTime is { } lead && lead > TimeSpan.Zero;
        bool stale = result.FailedStsRequests > 0 && result.StaleUses > 0;
        bool recovered = result.RecoveryLeadTime is { } recovery && recovery > TimeSpan.Zero;

        if (result.Credentials == 0)
        {
            result.AddProblem("No credential was obtained.");
        }
        else if (!refreshed)
        {
            result.AddProblem(result.RefreshLeadTime is null
                ? "No background refresh was observed: the first credential was never replaced."
                : "The first credential was replaced only after it expired.");
        }
        else if (!stale)
        {
            result.AddProblem(result.FailedStsRequests == 0
                ? "The STS outage was never noticed: no STS request failed."
                : "STS requests failed, but no use was answered with the stale credential.");
        }
        else if (!recovered)
        {
            result.AddProblem("No fresh credential arrived after the outage.");
        }

        bool signedOk = result.SignedCalls > 0 && result.SignedCallsOk == result.SignedCalls && result.SignedCallsOkDuringOutage > 0;
        if (result.SignedCalls > 0 && !signedOk && result.SignedCallsOk == result.SignedCalls)
        {
            result.AddProblem("No signed call was made during the STS outage.");
        }

        story.Plain(string.Empty);
        story.Plain("Summary");
        Check(story, result.Credentials > 0, result.Credentials > 0 ? $"first credential from {result.Provider}" : "first credential");
        Check(story, refreshed, refreshed
            ? $"background refresh replaced it while it still had {Seconds(result.RefreshLeadTime!.Value)} left"
            : "background refresh before expiry");
        Check(story, stale, stale
            ? string.Create(CultureInfo.InvariantCulture, $"STS outage: {result.FailedStsRequests} STS requests failed; {result.StaleUses} uses were answered with the cached, still-valid credential")
            : "STS outage served from the cache (stale-if-error)");
        Check(story, recovered, recovered
            ? $"recovered: a fresh credential replaced the stale one while it still had {Seconds(result.RecoveryLeadTime!.Value)} left"
            : "recovery after the outage");
        Check(story, signedOk, string.Create(
            CultureInfo.InvariantCulture,
            $"signed calls: {result.SignedCallsOk} of {result.SignedCalls} GetCallerIdentity calls (ACS3-HMAC-SHA256) answered 200, {result.SignedCallsOkDuringOutage} of them during the outage"));
        story.Plain(string.Create(
            CultureInfo.InvariantCulture,
            $"  {result.Uses} credential uses, {result.Uses - result.UsesThatWaited} answered from memory; {result.Credentials} credentials; no secret was printed."));
        story.Plain(string.Empty);
        if (result.Succeeded)
        {
            story.Plain("QuickStart OK: refresh before expiry, stale-if-error during the outage, recovery; every signed call answered 200.");
        }
        else
        {
            story.Plain("QuickStart FAILED:");
            foreach (string problem in result.Problems)
            {
                story.Plain("  - " + problem);
            }
        }
    }

    /// <summary>Formats a duration as seconds with one decimal, such as <c>20.4 s</c>.</summary>
    public static string Seconds(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.#} s");

    private static void Check(StoryWriter story, bool ok, string text) => story.Plain((ok ? "  [ok]     " : "  [FAILED] ") + text);
}
