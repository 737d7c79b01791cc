using CloudCredentials.Credentials;
using CloudCredentials.Http;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.CredentialsUri;

/// <summary>A credentials URI (<c>credentials_uri</c>, provider <c>credential_uri</c>), checked by <see cref="Resolve"/>.</summary>
/// <param name="Uri">The credentials URI, already checked with <see cref="CredentialsUriProvider.ValidateUri"/>.</param>
internal sealed record CredentialsUriSpec(Uri Uri) : CredentialSpec
{
    /// <summary>
    /// Applies the credentials-URI policy once: the URI must be absolute and use https, or plain http only to a local
    /// address or one of <c>AllowedHttpHosts</c>.
    /// </summary>
    /// <param name="uri">The configured URI.</param>
    /// <param name="options">The registration's options (<c>AllowedHttpHosts</c>).</param>
    /// <returns>A <see cref="CredentialsUriSpec"/>, or a <see cref="DeclinedSpec"/> saying what is wrong.</returns>
    public static CredentialSpec Resolve(string uri, CloudCredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CredentialsUriProvider.ValidateUri(uri, options.AllowedHttpHosts) is { } problem
            ? new DeclinedSpec(CredentialProviderNames.CredentialsUri, problem)
            : new CredentialsUriSpec(new Uri(uri.Trim(), UriKind.Absolute));
    }

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CredentialsUriProvider(this, () => new CredentialsUriClient(
            context.CreateHttpClient(CloudCredentialsHttpClients.CredentialsUri),
            context.LoggerFactory.CreateLogger<CredentialsUriClient>()));
    }
}
