using System.Globalization;

namespace CloudCredentials.Diagnostics;

/// <summary>One provider of a registration in a <see cref="CredentialDiagnosticReport"/>. Never holds a secret.</summary>
public sealed class ProviderDiagnostic
{
    internal ProviderDiagnostic(int order, string providerName, bool configured, ProviderOutcome outcome, string reason, TimeSpan elapsed)
    {
        Order = order;
        ProviderName = providerName;
        Configured = configured;
        Outcome = outcome;
        Reason = reason;
        Elapsed = elapsed;
    }

    /// <summary>Gets the 1-based position: the order in which the chain asks its providers (skipped sources come last).</summary>
    public int Order { get; }

    /// <summary>Gets the provider name, such as <c>env</c>, <c>cli_profile</c> or <c>ecs_ram_role</c>.</summary>
    public string ProviderName { get; }

    /// <summary>
    /// Gets whether the provider's source is configured: <see langword="false"/> for a source the chain left out when it
    /// was built (<see cref="ProviderOutcome.Skipped"/>) and for a chain member whose source is absent (it declined as
    /// not configured, such as an AWS chain member whose variables are not set); the reason says why.
    /// </summary>
    public bool Configured { get; }

    /// <summary>Gets what the provider did.</summary>
    public ProviderOutcome Outcome { get; }

    /// <summary>
    /// Gets why it declined, failed, was skipped or not reached, or what it answered with (type and provider);
    /// secret-free (the library's error messages never carry secrets; unexpected exceptions are named by type only).
    /// </summary>
    public string Reason { get; }

    /// <summary>Gets how long asking the provider took (<see cref="TimeSpan.Zero"/> when it was not asked).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Returns <c>{order}. {provider}: {outcome} ({reason}) in {ms} ms</c>.</summary>
    /// <returns>A one-line description without secrets.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Order}. {ProviderName}: {Outcome} ({Reason}) in {Elapsed.TotalMilliseconds:0} ms");
}
