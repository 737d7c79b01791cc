namespace CloudCredentials.Samples.QuickStart;

/// <summary>Where the quick start's story is.</summary>
internal enum StoryPhase
{
    /// <summary>No credential seen yet.</summary>
    Starting,

    /// <summary>Using the first credential, waiting for the background refresh to replace it.</summary>
    WaitingForRefresh,

    /// <summary>STS fails every request; waiting for the cache to serve the stale credential.</summary>
    Outage,

    /// <summary>STS answers again; waiting for the next retry to bring a fresh credential.</summary>
    WaitingForRecovery,

    /// <summary>The story happened; the demo keeps using the credential until the end.</summary>
    Recovered,
}
