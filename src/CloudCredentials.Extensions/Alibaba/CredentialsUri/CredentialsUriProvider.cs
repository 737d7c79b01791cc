using System.Net;
using System.Net.Sockets;
using CloudCredentials.Internal;

namespace CloudCredentials.Alibaba.CredentialsUri;

/// <summary><c>credentials_uri</c>: a session credential from an HTTP endpoint (provider name <c>credential_uri</c>).</summary>
internal sealed class CredentialsUriProvider : ICredentialProvider
{
    /// <summary>The provider name, as in Go, Python and Node.</summary>
    public const string Name = CredentialProviderNames.CredentialsUri;

    private static readonly IPAddress MetadataAddress = IPAddress.Parse("100.100.100.200");

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
    /// Checks a credentials URI: it must be absolute, and use HTTPS unless its host is loopback, link-local
    /// (169.254.0.0/16, fe80::/10), <c>100.100.100.200</c> or one of <paramref name="allowedHttpHosts"/>.
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

        if (IsLocalHttpHost(parsed) || allowedHttpHosts.Any(h => IsAllowed(parsed, h)))
        {
            return null;
        }

        return $"the credentials URI {display} uses plain http to {parsed.Host}, which would send credentials unencrypted. Use https, or add the host to AllowedHttpHosts if the network path is trusted (plain http is allowed only to loopback, link-local 169.254.0.0/16 and 100.100.100.200).";
    }

    private static bool IsLocalHttpHost(Uri uri)
    {
        if (uri.IsLoopback)
        {
            return true;
        }

        string host = uri.HostNameType == UriHostNameType.IPv6 ? uri.DnsSafeHost : uri.Host;
        if (!IPAddress.TryParse(host, out IPAddress? address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(MetadataAddress))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            byte[] bytes = address.GetAddressBytes();
            return bytes[0] == 169 && bytes[1] == 254;
        }

        return address.IsIPv6LinkLocal;
    }

    private static bool IsAllowed(Uri uri, string allowed)
    {
        if (string.IsNullOrWhiteSpace(allowed))
        {
            return false;
        }

        string entry = allowed.Trim();
        return string.Equals(entry, uri.Host, StringComparison.OrdinalIgnoreCase)
            || string.Equals(entry, uri.Authority, StringComparison.OrdinalIgnoreCase);
    }
}
