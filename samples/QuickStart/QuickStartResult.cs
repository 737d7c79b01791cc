namespace CloudCredentials.Samples.QuickStart;

/// <summary>What the quick start observed; <see cref="Succeeded"/> when the whole story happened.</summary>
internal sealed class QuickStartResult
{
    /// <summary>Gets or sets the number of credential uses.</summary>
    public int Uses { get; set; }

    /// <summary>Gets or sets the number of uses that had to wait for a fetch instead of being answered from memory.</summary>
    public int UsesThatWaited { get; set; }

    /// <summary>Gets or sets the number of distinct credentials seen.</summary>
    public int Credentials { get; set; }

    /// <summary>Gets or sets the provider of the first credential, such as <c>ram_role_arn/static_ak</c>.</summary>
    public string? Provider { get; set; }

    /// <summary>Gets or sets how long before its expiry the first credential was replaced by the background refresh.</summary>
    public TimeSpan? RefreshLeadTime { get; set; }

    /// <summary>Gets or sets whether the STS outage was injected.</summary>
    public bool OutageInjected { get; set; }

    /// <summary>Gets or sets the number of STS requests the emulator failed on purpose.</summary>
    public long FailedStsRequests { get; set; }

    /// <summary>Gets or sets the number of uses answered with the cached credential while its refresh was failing.</summary>
    public int StaleUses { get; set; }

    /// <summary>Gets or sets how long before its expiry the stale credential was replaced after the outage.</summary>
    public TimeSpan? RecoveryLeadTime { get; set; }

    /// <summary>Gets or sets the number of signed GetCallerIdentity calls made (one per use).</summary>
    public int SignedCalls { get; set; }

    /// <summary>Gets or sets the number of signed calls the emulator answered 200 (signature verified).</summary>
    public int SignedCallsOk { get; set; }

    /// <summary>Gets or sets the number of signed calls answered 200 while STS AssumeRole was failing.</summary>
    public int SignedCallsOkDuringOutage { get; set; }

    /// <summary>Gets the parts of the story that did not happen.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Gets whether every part of the story happened.</summary>
    public bool Succeeded => Problems.Count == 0;

    /// <summary>Records a problem once (the same text twice is one problem).</summary>
    /// <param name="problem">What did not happen.</param>
    public void AddProblem(string problem)
    {
        if (!Problems.Contains(problem))
        {
            Problems.Add(problem);
        }
    }
}
