using System.Globalization;
using System.Text;
using CloudCredentials.Internal;

namespace CloudCredentials.Diagnostics;

/// <summary>
/// Which provider of a registration answers on this machine and why the others declined, as
/// <c>CloudCredentialsDiagnostics.DiagnoseAsync</c> found it. Holds no secret: the credential is described by its
/// type, provider, masked AccessKey ID and expiration only.
/// </summary>
public sealed class CredentialDiagnosticReport
{
    internal CredentialDiagnosticReport(string registrationName, string providerName, IReadOnlyList<ProviderDiagnostic> providers, CloudCredential? credential, TimeSpan elapsed)
    {
        RegistrationName = registrationName;
        ProviderName = providerName;
        Providers = providers;
        Elapsed = elapsed;
        AnsweringProvider = providers.FirstOrDefault(p => p.Outcome == ProviderOutcome.Answered)?.ProviderName;
        if (credential is not null)
        {
            CredentialType = credential.Type;
            CredentialProviderName = credential.ProviderName;
            MaskedAccessKeyId = CloudCredential.MaskAccessKeyId(credential.AccessKeyId);
            Expiration = credential.Expiration;
        }
    }

    /// <summary>Gets the registration's display name: <c>(default)</c> for the unnamed one.</summary>
    public string RegistrationName { get; }

    /// <summary>Gets the registration's provider name, such as <c>default</c> (the default chain) or <c>static_ak</c>.</summary>
    public string ProviderName { get; }

    /// <summary>Gets every provider in the order they are asked: one entry for a single-type registration.</summary>
    public IReadOnlyList<ProviderDiagnostic> Providers { get; }

    /// <summary>Gets whether a provider answered with a credential.</summary>
    public bool Found => AnsweringProvider is not null;

    /// <summary>Gets the name of the provider that answers, or <see langword="null"/> when none did.</summary>
    public string? AnsweringProvider { get; }

    /// <summary>Gets the full nested name of the provider that produced the credential (such as <c>cli_profile/static_ak</c>), or <see langword="null"/>.</summary>
    public string? CredentialProviderName { get; }

    /// <summary>Gets the credential's type (see <see cref="CredentialTypes"/>), or <see langword="null"/> when none was found.</summary>
    public string? CredentialType { get; }

    /// <summary>Gets the masked AccessKey ID (<see cref="CloudCredential.MaskAccessKeyId"/>), or <see langword="null"/> when none was found.</summary>
    public string? MaskedAccessKeyId { get; }

    /// <summary>Gets when the credential expires, or <see langword="null"/> when it does not (or none was found).</summary>
    public DateTimeOffset? Expiration { get; }

    /// <summary>Gets how long the whole diagnosis took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Returns a multi-line description: one line per provider, then the answer. Never contains a secret.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Registration {RegistrationName} ({ProviderName}), {Elapsed.TotalMilliseconds:0} ms").AppendLine();
        foreach (ProviderDiagnostic provider in Providers)
        {
            text.Append("  ").Append(provider).AppendLine();
        }

        if (Found)
        {
            string expiration = Expiration is { } e ? CredentialJson.FormatUtc(e) : "never";
            text.Append(CultureInfo.InvariantCulture, $"Answer: {AnsweringProvider} ({CredentialType}, AccessKeyId {MaskedAccessKeyId}, expires {expiration})");
        }
        else
        {
            text.Append("Answer: none of the providers produced a credential");
        }

        return text.ToString();
    }
}
