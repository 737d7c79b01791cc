using System.Net;
using System.Net.Sockets;
using CloudCredentials.Internal;

namespace CloudCredentials.Http;

/// <summary>
/// Where a request that carries or returns a credential may go over plain http: only to loopback, link-local
/// (169.254.0.0/16, fe80::/10), the ECS metadata address <c>100.100.100.200</c>, or a host the application lists in
/// <c>AllowedHttpHosts</c>. Every other host needs https. The one rule for credentials URIs, STS endpoints and the
/// CloudSSO and OAuth sign-in services.
/// </summary>
internal static class PlainHttpPolicy
{
    /// <summary>What to do about a refused URL.</summary>
    public const string Advice = "Use https, or add the host to AllowedHttpHosts if the network path is trusted (plain http is allowed only to loopback, link-local 169.254.0.0/16 and 100.100.100.200).";

    private static readonly IPAddress MetadataAddress = IPAddress.Parse("100.100.100.200");

    /// <summary>
    /// Checks an absolute URL: <see langword="null"/> when it is not plain http, or goes to a local or allowed host;
    /// otherwise <c>{what} {url} uses plain http to {host}, which would send credentials unencrypted. {Advice}</c>.
    /// </summary>
    /// <param name="uri">The absolute URL.</param>
    /// <param name="allowedHttpHosts">The <c>AllowedHttpHosts</c> option: host names, or <c>host:port</c>.</param>
    /// <param name="what">What the URL is, such as <c>the STS endpoint</c>.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? Check(Uri uri, IEnumerable<string> allowedHttpHosts, string what)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(allowedHttpHosts);
        if (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttp || IsLocalHost(uri) || allowedHttpHosts.Any(h => IsAllowed(uri, h)))
        {
            return null;
        }

        return $"{what} {SecretRedactor.DisplayUri(uri)} uses plain http to {uri.Host}, which would send credentials unencrypted. {Advice}";
    }

    private static bool IsLocalHost(Uri uri)
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
