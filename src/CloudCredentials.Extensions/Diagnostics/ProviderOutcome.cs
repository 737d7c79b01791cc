namespace CloudCredentials.Diagnostics;

/// <summary>What one provider did when <c>CloudCredentialsDiagnostics.DiagnoseAsync</c> asked it for a credential.</summary>
public enum ProviderOutcome
{
    /// <summary>It produced a credential: this provider answers.</summary>
    Answered,

    /// <summary>It declined (a <see cref="CredentialUnavailableException"/>); the reason says why.</summary>
    Declined,

    /// <summary>It failed unexpectedly (any other exception); the reason names the exception type only.</summary>
    Failed,

    /// <summary>It was not asked: an earlier provider of the chain answered, so the chain would never ask it.</summary>
    NotReached,

    /// <summary>It is not part of the chain: left out when the chain was built (disabled, or a required setting is missing).</summary>
    Skipped,
}
