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
    /// ask them), and the sources the chain left out when it was built as <see cref="ProviderOutcome.Skipped"/>. A member
    /// whose source is absent (the AWS chain keeps all five members) is <see cref="ProviderOutcome.Declined"/> with
    /// <see cref="ProviderDiagnostic.Configured"/> <see langword="false"/> and a reason starting <c>not configured:</c>;
    /// in the AWS chain a configured member that fails ends the walk (the chain never falls through past it), so the
    /// members after it are <see cref="ProviderOutcome.NotReached"/>.
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
        string? notAsked = null;
        ICredentialChain? chain = provider as ICredentialChain;
        IReadOnlyList<ICredentialProvider> members = chain is not null ? chain.Providers : [provider];
        foreach (ICredentialProvider member in members)
        {
            int order = entries.Count + 1;
            if (notAsked is not null)
            {
                entries.Add(new ProviderDiagnostic(order, member.ProviderName, true, ProviderOutcome.NotReached, notAsked, TimeSpan.Zero));
                continue;
            }

            (ProviderDiagnostic entry, answer) = await ProbeAsync(order, member, time, cancellationToken).ConfigureAwait(false);
            entries.Add(entry);
            if (answer is not null)
            {
                notAsked = $"not asked: {entry.ProviderName} answers first";
            }
            else if (chain is { StopsOnConfiguredFailure: true } && entry.Configured)
            {
                // The AWS chain: a configured source answers or fails; the chain never falls through past it.
                notAsked = $"not asked: the chain stops at {entry.ProviderName} (configured but failed)";
            }
        }

        foreach (string skipped in chain?.Skipped ?? [])
        {
            (string skippedName, string reason) = SplitSkipped(skipped);
            entries.Add(new ProviderDiagnostic(entries.Count + 1, skippedName, false, ProviderOutcome.Skipped, reason, TimeSpan.Zero));
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
        catch (SourceNotConfiguredException ex)
        {
            // An absent source (the AWS chain keeps its absent members): declined, and reported as not configured.
            return (new ProviderDiagnostic(order, provider.ProviderName, false, ProviderOutcome.Declined, $"not configured: {ex.Reason ?? ex.Message}", time.GetElapsedTime(started)), null);
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

    /// <summary>Splits a chain's skipped entry, <c>name (reason)</c> (<see cref="ICredentialChain.Skipped"/>), into its name and reason.</summary>
    private static (string Name, string Reason) SplitSkipped(string skipped)
    {
        int paren = skipped.IndexOf(" (", StringComparison.Ordinal);
        return paren > 0 && skipped.EndsWith(')')
            ? (skipped[..paren], skipped[(paren + 2)..^1])
            : (skipped, "skipped when the chain was built");
    }
}
