using CloudCredentials.Credentials;
using CloudCredentials.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

// The public diagnostics entry point lives with the registrations it reads (only DependencyInjection/ may reach a
// registration's provider and the clouds' variable lists) but in the namespace of the report types it returns.
namespace CloudCredentials.Diagnostics;

/// <summary>
/// Diagnostics for the <c>cloudcreds</c> tool, health pages and support scripts: which provider of a registration
/// answers on this machine and why the others decline, and the environment variables the library reads.
/// </summary>
public static class CloudCredentialsDiagnostics
{
    /// <summary>
    /// Gets every environment variable the library reads, with its cloud, what it does and whether it is a secret.
    /// Built from the library's own variable-name constants, so a newly read variable appears here.
    /// </summary>
    public static IReadOnlyList<EnvironmentVariableInfo> EnvironmentVariables => EnvironmentVariableCatalog.Variables;

    /// <summary>
    /// Asks the provider of an <c>AddCloudCredentials</c> registration, exactly as the registration built it, for a
    /// credential and reports what each provider did. A single-type registration gives one entry. For a chain (the
    /// default chain) every member is asked directly, in the chain's order, until one answers: that one is the answer,
    /// the members after it are listed as <see cref="ProviderOutcome.NotReached"/> (not asked, as the chain would not
    /// ask them), and the sources the chain left out when it was built as <see cref="ProviderOutcome.Skipped"/>.
    /// </summary>
    /// <remarks>
    /// The registration's cache is neither read nor changed (the providers are asked directly, so the result is what
    /// this machine answers now), and the chain's memory of its last answering member is not used. Building the
    /// registration validates its options: invalid settings throw as they would at host start.
    /// </remarks>
    /// <param name="services">The application's services, with <c>AddCloudCredentials</c> registrations.</param>
    /// <param name="name">The registration name; <see langword="null"/> or empty for the default registration.</param>
    /// <param name="cancellationToken">Cancels the diagnosis.</param>
    /// <returns>The report; it never contains a secret.</returns>
    /// <exception cref="InvalidOperationException">No registration has that name.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The registration's options are invalid.</exception>
    /// <exception cref="CredentialUnavailableException">The registration's settings cannot be mapped to a provider.</exception>
    public static async Task<CredentialDiagnosticReport> DiagnoseAsync(IServiceProvider services, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        string key = name ?? string.Empty;
        CredentialRegistration registration = services.GetKeyedService<CredentialRegistration>(key)
            ?? throw new InvalidOperationException($"No CloudCredentials registration named '{CredentialRegistration.DisplayName(key)}': call AddCloudCredentials{(key.Length == 0 ? "(configuration)" : $"(\"{key}\", configuration)")} first.");
        TimeProvider time = services.GetRequiredService<TimeProvider>();
        ICredentialProvider provider = registration.Source.Provider;

        long started = time.GetTimestamp();
        var entries = new List<ProviderDiagnostic>();
        CloudCredential? answer = null;
        IReadOnlyList<ICredentialProvider> members = provider is ICredentialChain chain ? chain.Providers : [provider];
        foreach (ICredentialProvider member in members)
        {
            int order = entries.Count + 1;
            if (answer is not null)
            {
                entries.Add(new ProviderDiagnostic(order, member.ProviderName, true, ProviderOutcome.NotReached, $"not asked: {entries.First(e => e.Outcome == ProviderOutcome.Answered).ProviderName} answers first", TimeSpan.Zero));
                continue;
            }

            (ProviderDiagnostic entry, answer) = await ProbeAsync(order, member, time, cancellationToken).ConfigureAwait(false);
            entries.Add(entry);
        }

        if (provider is ICredentialChain withSkipped)
        {
            foreach (string skipped in withSkipped.Skipped)
            {
                (string skippedName, string reason) = SplitSkipped(skipped);
                entries.Add(new ProviderDiagnostic(entries.Count + 1, skippedName, false, ProviderOutcome.Skipped, reason, TimeSpan.Zero));
            }
        }

        return new CredentialDiagnosticReport(CredentialRegistration.DisplayName(key), provider.ProviderName, entries, answer, time.GetElapsedTime(started));
    }

    private static async Task<(ProviderDiagnostic Entry, CloudCredential? Credential)> ProbeAsync(int order, ICredentialProvider provider, TimeProvider time, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        try
        {
            CloudCredential credential = await provider.FetchAsync(cancellationToken).ConfigureAwait(false);
            string reason = $"{credential.Type} from {credential.ProviderName}";
            return (new ProviderDiagnostic(order, provider.ProviderName, true, ProviderOutcome.Answered, reason, time.GetElapsedTime(started)), credential);
        }
        catch (CredentialUnavailableException ex)
        {
            return (new ProviderDiagnostic(order, provider.ProviderName, true, ProviderOutcome.Declined, ex.Reason ?? ex.Message, time.GetElapsedTime(started)), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Named by type only: an unexpected exception's message is not known to be free of secrets.
            return (new ProviderDiagnostic(order, provider.ProviderName, true, ProviderOutcome.Failed, $"unexpected {ex.GetType().Name}", time.GetElapsedTime(started)), null);
        }
    }

    /// <summary>Splits a chain's skipped entry, <c>name (reason)</c> or <c>name: reason</c>, into its name and reason.</summary>
    private static (string Name, string Reason) SplitSkipped(string skipped)
    {
        int paren = skipped.IndexOf(" (", StringComparison.Ordinal);
        int colon = skipped.IndexOf(": ", StringComparison.Ordinal);
        if (paren > 0 && (colon < 0 || paren < colon) && skipped.EndsWith(')'))
        {
            return (skipped[..paren], skipped[(paren + 2)..^1]);
        }

        return colon > 0 ? (skipped[..colon], skipped[(colon + 2)..]) : (skipped, "skipped when the chain was built");
    }
}
