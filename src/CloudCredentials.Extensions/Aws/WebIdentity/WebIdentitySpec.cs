using CloudCredentials.Aws.Sts;
using CloudCredentials.Credentials;
using CloudCredentials.Internal;

namespace CloudCredentials.Aws.WebIdentity;

/// <summary>
/// STS AssumeRoleWithWebIdentity (<c>web_identity</c>): the token file is re-read on every fetch and sent as is; a
/// missing or empty file is an error naming the path and where it was configured.
/// </summary>
/// <param name="RoleArn">The role.</param>
/// <param name="TokenFile">The token file.</param>
/// <param name="RoleSessionName">The session name, or <see langword="null"/> for <c>cloudcredentials-&lt;unix ms&gt;</c>.</param>
/// <param name="Endpoint">The STS endpoint.</param>
/// <param name="DurationSeconds">Sent only when set.</param>
/// <param name="Policy">A session policy, if any.</param>
/// <param name="ConfiguredBy">Where the token file was configured, for errors (such as <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>).</param>
internal sealed record WebIdentitySpec(string RoleArn, string TokenFile, string? RoleSessionName, AwsStsEndpoint Endpoint, int? DurationSeconds, string? Policy, string ConfiguredBy) : CredentialSpec
{
    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new WebIdentityProvider(this, context);
    }

    private sealed class WebIdentityProvider(WebIdentitySpec spec, ProviderBuildContext context) : ICredentialProvider
    {
        public string ProviderName => AwsCredentialProviderNames.WebIdentity;

        public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
        {
            string token = ReadToken(spec.TokenFile, spec.ConfiguredBy);
            var request = new AwsRoleRequest(spec.RoleArn, Sts.RoleSessionName.OrDefault(spec.RoleSessionName, context.TimeProvider), spec.DurationSeconds, null, spec.Policy);
            return await context.CreateAwsStsClient().AssumeRoleWithWebIdentityAsync(spec.Endpoint, request, token, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the token file now; never quotes its content.</summary>
    internal static string ReadToken(string path, string configuredBy)
    {
        string token;
        try
        {
            token = BoundedFileReader.ReadAllText(path, BoundedFileReader.TokenFileMaxBytes);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CredentialUnavailableException(AwsCredentialProviderNames.WebIdentity, $"the web identity token file {path} (from {configuredBy}) does not exist; check the path or the projected service account token", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new CredentialUnavailableException(AwsCredentialProviderNames.WebIdentity, $"the web identity token file {path} (from {configuredBy}) cannot be read: {ex.GetType().Name}", ex);
        }

        return string.IsNullOrWhiteSpace(token)
            ? throw new CredentialUnavailableException(AwsCredentialProviderNames.WebIdentity, $"the web identity token file {path} (from {configuredBy}) is empty", null)
            : token;
    }
}
