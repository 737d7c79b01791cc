using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Credentials;
using CloudCredentials.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.OAuth;

/// <summary>A CLI <c>OAuth</c> profile: where <see cref="OAuthProvider"/> finds it (it re-reads the profile on every fetch).</summary>
internal sealed record OAuthSpec : CredentialSpec
{
    /// <summary>The config.json path. Required.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The name of the <c>OAuth</c> profile (after following any <c>source_profile</c> links). Required.</summary>
    public required string ProfileName { get; init; }

    /// <summary>
    /// <c>CN</c> or <c>INTL</c>; <see langword="null"/> reads the profile's <c>oauth_site_type</c> on each fetch.
    /// </summary>
    public string? SiteType { get; init; }

    /// <summary>An absolute base URL that replaces the site's (tests, private endpoints); <see langword="null"/> for the site's own.</summary>
    public string? BaseUrlOverride { get; init; }

    /// <summary>
    /// Hosts besides loopback and link-local that <see cref="BaseUrlOverride"/> may reach over plain http
    /// (see <see cref="PlainHttpPolicy"/>). The sites a profile names are https.
    /// </summary>
    public IReadOnlyList<string> AllowedHttpHosts { get; init; } = [];

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new OAuthProvider(
            this,
            () => new OAuthClient(context.CreateHttpClient(CloudCredentialsHttpClients.SignIn), context.TimeProvider, context.LoggerFactory.CreateLogger<OAuthClient>()),
            context.Services.GetRequiredService<CliConfigWriter>(),
            context.TimeProvider,
            context.LoggerFactory.CreateLogger<OAuthProvider>());
    }
}
