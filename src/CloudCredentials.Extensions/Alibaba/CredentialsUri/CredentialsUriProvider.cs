using CloudCredentials.Http;
using CloudCredentials.Internal;

namespace CloudCredentials.Alibaba.CredentialsUri;

/// <summary><c>credentials_uri</c>: a session credential from an HTTP endpoint (provider name <c>credential_uri</c>).</summary>
internal sealed class CredentialsUriProvider : ICredentialProvider
{
    /// <summary>The provider name, as in Go, Python and Node.</summary>
    public const string Name = CredentialProviderNames.CredentialsUri;

    private readonly CredentialsUriSpec _spec;
    private readonly Func<CredentialsUriClient> _client;

    /// <summary>Creates the provider.</summary>
    /// <param name="spec">The URI.</param>
    /// <param name="client">Creates a client (from <see cref="IHttpClientFactory"/>) for each fetch.</param>
    public CredentialsUriProvider(CredentialsUriSpec spec, Func<CredentialsUriClient> client)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(client);
        _spec = spec;
        _client = client;
    }

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <inheritdoc />
    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken) =>
        await _client().GetCredentialAsync(_spec.Uri, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Checks a credentials URI: it must be absolute, and use HTTPS unless <see cref="PlainHttpPolicy"/> allows its
    /// host (loopback, link-local, <c>100.100.100.200</c> or one of <paramref name="allowedHttpHosts"/>).
    /// </summary>
    /// <param name="uri">The configured URI.</param>
    /// <param name="allowedHttpHosts">Further hosts that may be reached over plain HTTP (the <c>AllowedHttpHosts</c> option).</param>
    /// <returns><see langword="null"/> when the URI is acceptable; otherwise what is wrong and what to do.</returns>
    public static string? ValidateUri(string uri, IEnumerable<string> allowedHttpHosts)
    {
        ArgumentNullException.ThrowIfNull(allowedHttpHosts);
        if (string.IsNullOrWhiteSpace(uri))
        {
            return "the credentials URI is empty. Set CredentialsUri or ALIBABA_CLOUD_CREDENTIALS_URI.";
        }

        if (!Uri.TryCreate(uri.Trim(), UriKind.Absolute, out Uri? parsed))
        {
            return $"the credentials URI '{uri.Trim().Split('?')[0]}' is not an absolute URI. Use for example https://host/path.";
        }

        string display = SecretRedactor.DisplayUri(parsed);
        if (parsed.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (parsed.Scheme != Uri.UriSchemeHttp)
        {
            return $"the credentials URI {display} uses the scheme '{parsed.Scheme}'; only https (or http to a local address) is supported.";
        }

        return PlainHttpPolicy.Check(parsed, allowedHttpHosts, "the credentials URI");
    }
}
