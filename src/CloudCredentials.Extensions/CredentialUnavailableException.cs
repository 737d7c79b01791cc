using System.Net;
using System.Text;

namespace CloudCredentials;

/// <summary>
/// Thrown when no valid credential can be obtained. The message names the provider (or, for the default
/// chain, every provider tried, in order) and why it declined; it never contains a secret.
/// </summary>
public class CredentialUnavailableException : Exception
{
    private readonly IReadOnlyList<CredentialUnavailableException> _failures = [];

    /// <summary>Creates an exception with a message.</summary>
    public CredentialUnavailableException()
        : base("No credential is available.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong and what to do next. Must not contain a secret.</param>
    public CredentialUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong and what to do next. Must not contain a secret.</param>
    /// <param name="innerException">The cause.</param>
    public CredentialUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for one provider; the message is <c>{providerName}: {reason}</c>.</summary>
    /// <param name="providerName">The provider that declined, such as <c>env</c>.</param>
    /// <param name="reason">Why it declined and what to do next. Must not contain a secret.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CredentialUnavailableException(string providerName, string reason, Exception? innerException)
        : base($"{providerName}: {reason}", innerException)
    {
        ProviderName = providerName;
        Reason = reason;
    }

    /// <summary>Creates the aggregated exception of a provider chain.</summary>
    /// <param name="providerName">The chain's name, such as <c>default</c>.</param>
    /// <param name="failures">Every provider tried, in order, with its reason.</param>
    public CredentialUnavailableException(string providerName, IReadOnlyList<CredentialUnavailableException> failures)
        : this(providerName, failures, AlibabaChainAdvice)
    {
    }

    /// <summary>Creates the aggregated exception of a provider chain with its own closing advice (such as the AWS chain's).</summary>
    /// <param name="providerName">The chain's name, such as <c>aws/default</c>.</param>
    /// <param name="failures">Every provider, in order, with its reason.</param>
    /// <param name="advice">The closing sentence: what to configure.</param>
    internal CredentialUnavailableException(string providerName, IReadOnlyList<CredentialUnavailableException> failures, string advice)
        : base(FormatChainMessage(providerName, failures, advice))
    {
        ProviderName = providerName;
        _failures = failures;
        Reason = Message;
    }

    /// <summary>Gets the name of the provider that declined, if known.</summary>
    public string? ProviderName { get; }

    /// <summary>Gets the reason without the provider prefix, if known.</summary>
    public string? Reason { get; }

    /// <summary>Gets the endpoint that was called, if the failure came from a remote service.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Gets the HTTP status the endpoint answered with, if any.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Gets the upstream error code, such as STS's <c>NoPermission</c>, if any.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets the upstream request id, if any, for a support ticket.</summary>
    public string? RequestId { get; init; }

    /// <summary>Gets the failures of each provider of a chain, in the order they were tried; empty otherwise.</summary>
    public IReadOnlyList<CredentialUnavailableException> Failures => _failures;

    /// <summary>The closing advice of the Alibaba default chain's error.</summary>
    internal const string AlibabaChainAdvice = "Configure one of them (for example set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or the CloudCredentials:Type setting).";

    private static string FormatChainMessage(string providerName, IReadOnlyList<CredentialUnavailableException> failures, string advice)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var sb = new StringBuilder();
        sb.Append("Unable to get a credential from any provider of the ").Append(providerName).Append(" chain: ");
        for (int i = 0; i < failures.Count; i++)
        {
            if (i > 0)
            {
                sb.Append("; ");
            }

            sb.Append(failures[i].Message);
        }

        sb.Append(". ").Append(advice);
        return sb.ToString();
    }
}
