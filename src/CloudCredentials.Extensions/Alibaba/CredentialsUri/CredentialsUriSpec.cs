namespace CloudCredentials.Alibaba.CredentialsUri;

/// <summary>The resolved settings of a <see cref="CredentialsUriProvider"/>.</summary>
/// <param name="Uri">The credentials URI, already checked with <see cref="CredentialsUriProvider.ValidateUri"/>.</param>
internal sealed record CredentialsUriSettings(Uri Uri);
