using System.Net;
using CloudCredentials.Credentials;
using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Aws.Container;

/// <summary>The container credential endpoint (ECS task role, EKS Pod Identity; <c>aws/container</c>), resolved by <see cref="Resolve"/>.</summary>
/// <param name="Endpoint">The full URL GET is sent to.</param>
/// <param name="Source">The variable the URL came from (for messages).</param>
/// <param name="AuthorizationToken">The literal <c>Authorization</c> value (<c>AWS_CONTAINER_AUTHORIZATION_TOKEN</c>), or <see langword="null"/>. Secret.</param>
/// <param name="AuthorizationTokenFile">The file holding it (<c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c>, re-read on every fetch, wins over the literal), or <see langword="null"/>.</param>
internal sealed record ContainerSpec(Uri Endpoint, string Source, string? AuthorizationToken, string? AuthorizationTokenFile) : CredentialSpec
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "aws/container";

    /// <summary>The credential type of what it produces.</summary>
    public const string CredentialType = "container";

    /// <summary>The ECS task metadata base a relative URI is appended to.</summary>
    public const string DefaultRelativeBase = "http://169.254.170.2";

    /// <summary>The hosts (besides loopback) a plain-http full URI may name: ECS and EKS Pod Identity.</summary>
    public static readonly IReadOnlyList<IPAddress> AllowedHttpAddresses =
        [IPAddress.Parse("169.254.170.2"), IPAddress.Parse("169.254.170.23"), IPAddress.Parse("fd00:ec2::23")];

    /// <summary>
    /// Reads <c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c> (appended to <c>http://169.254.170.2</c>, or to
    /// <paramref name="relativeBaseOverride"/>), which wins over <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> (https to any
    /// host; plain http only to loopback, 169.254.170.2, 169.254.170.23 or fd00:ec2::23 — checked here, before any
    /// connection), and the authorization token variables (a literal with CR or LF is refused).
    /// </summary>
    /// <param name="relativeBaseOverride">The options' <c>ContainerEndpoint</c> base, or <see langword="null"/> (tests).</param>
    /// <param name="errors">Receives one message per invalid value, naming the variable or setting and the fix.</param>
    /// <returns>The spec; a <see cref="DeclinedSpec"/> when neither URI variable is set; <see langword="null"/> after adding to <paramref name="errors"/>.</returns>
    public static CredentialSpec? Resolve(string? relativeBaseOverride, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        string? relative = AwsEnvironment.Get(AwsEnvironment.ContainerRelativeUri);
        string? full = AwsEnvironment.Get(AwsEnvironment.ContainerFullUri);
        if (relative is null && full is null)
        {
            return new DeclinedSpec(ProviderName, $"neither {AwsEnvironment.ContainerRelativeUri} nor {AwsEnvironment.ContainerFullUri} is set");
        }

        int before = errors.Count;
        (Uri? endpoint, string source) = relative is not null
            ? (RelativeEndpoint(relative.Trim(), relativeBaseOverride, errors), AwsEnvironment.ContainerRelativeUri)
            : (FullEndpoint(full!.Trim(), errors), AwsEnvironment.ContainerFullUri);
        string? tokenFile = AwsEnvironment.Get(AwsEnvironment.ContainerAuthorizationTokenFile);
        string? token = tokenFile is null ? AwsEnvironment.Get(AwsEnvironment.ContainerAuthorizationToken) : null;
        if (token is not null && ContainsLineBreak(token))
        {
            errors.Add($"{AwsEnvironment.ContainerAuthorizationToken} contains a carriage return or line feed, which is not allowed in an Authorization header: set it to the token alone, on one line.");
        }

        return errors.Count > before || endpoint is null ? null : new ContainerSpec(endpoint, source, token, tokenFile?.Trim());
    }

    /// <summary>Whether <paramref name="value"/> holds a CR or LF (a header-injection guard, as in Go and botocore).</summary>
    public static bool ContainsLineBreak(string value) => value.AsSpan().IndexOfAny('\r', '\n') >= 0;

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ILogger logger = context.LoggerFactory.CreateLogger<ContainerProvider>();
        return new ContainerProvider(this, () => context.CreateHttpClient(CloudCredentialsHttpClients.CredentialsUri), logger);
    }

    /// <summary>Describes the spec without the token.</summary>
    public override string ToString() =>
        $"ContainerSpec {{ Endpoint = {SecretRedactor.DisplayUri(Endpoint)}, Source = {Source}, AuthorizationToken = {(AuthorizationToken is null ? "(none)" : SecretRedactor.Mask)}, AuthorizationTokenFile = {AuthorizationTokenFile ?? "(none)"} }}";

    private static Uri? RelativeEndpoint(string relative, string? baseOverride, List<string> errors)
    {
        string setting = string.IsNullOrWhiteSpace(baseOverride) ? DefaultRelativeBase : baseOverride.Trim();
        if (!Uri.TryCreate(setting, UriKind.Absolute, out Uri? baseUri) || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"ContainerEndpoint '{SecretRedactor.DisplayUri(baseUri)}' is not an absolute http(s) URL: set it to a base such as {DefaultRelativeBase}, or remove it.");
            return null;
        }

        // Appended as a path (and query), like the SDKs: "/get-credentials?a=1" → http://169.254.170.2/get-credentials?a=1.
        string path = relative.StartsWith('/') ? relative : "/" + relative;
        if (Uri.TryCreate(baseUri.GetLeftPart(UriPartial.Authority) + path, UriKind.Absolute, out Uri? endpoint)
            && string.Equals(endpoint.Authority, baseUri.Authority, StringComparison.OrdinalIgnoreCase))
        {
            return endpoint;
        }

        errors.Add($"{AwsEnvironment.ContainerRelativeUri} is not a valid path to append to {baseUri.GetLeftPart(UriPartial.Authority)}: set it to a path such as /v2/credentials/<id>.");
        return null;
    }

    private static Uri? FullEndpoint(string full, List<string> errors)
    {
        if (!Uri.TryCreate(full, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.UserInfo.Length > 0)
        {
            errors.Add($"{AwsEnvironment.ContainerFullUri} is not an absolute http(s) URL without user info: set it to a URL such as http://169.254.170.23/v1/credentials.");
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsAllowedHttpHost(uri))
        {
            errors.Add($"{AwsEnvironment.ContainerFullUri}={SecretRedactor.DisplayUri(uri)} uses plain http to host '{uri.Host}': over http only a loopback address (127.0.0.0/8, ::1, localhost), 169.254.170.2, 169.254.170.23 or fd00:ec2::23 is allowed, so that credentials never cross the network unencrypted. Use https, or one of those hosts. Nothing was sent.");
            return null;
        }

        return uri;
    }

    private static bool IsAllowedHttpHost(Uri uri)
    {
        if (uri.HostNameType == UriHostNameType.Dns)
        {
            // No DNS lookup (a lookup is a connection of its own): only the literal name localhost.
            return string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase);
        }

        if (!IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            address.ScopeId = 0;
        }

        return IPAddress.IsLoopback(address) || AllowedHttpAddresses.Contains(address);
    }
}
