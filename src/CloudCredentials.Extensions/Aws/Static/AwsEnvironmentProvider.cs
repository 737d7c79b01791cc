using CloudCredentials.Credentials;

namespace CloudCredentials.Aws.Static;

/// <summary>
/// The <c>aws/env</c> provider: <c>AWS_ACCESS_KEY_ID</c> and <c>AWS_SECRET_ACCESS_KEY</c>, plus <c>AWS_SESSION_TOKEN</c>
/// when set, read on every fetch. Neither key set is "not configured" (the default chain moves on); only one of them
/// is a configured-but-broken source.
/// </summary>
internal sealed class AwsEnvironmentProvider : ICredentialProvider
{
    public string ProviderName => AwsCredentialProviderNames.Environment;

    public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        string? id = AwsEnvironment.Get(AwsEnvironment.AccessKeyId);
        string? secret = AwsEnvironment.Get(AwsEnvironment.SecretAccessKey);
        if (id is null && secret is null)
        {
            throw new SourceNotConfiguredException(ProviderName, $"{AwsEnvironment.AccessKeyId} and {AwsEnvironment.SecretAccessKey} are not set");
        }

        if (id is null || secret is null)
        {
            (string set, string missing) = id is null ? (AwsEnvironment.SecretAccessKey, AwsEnvironment.AccessKeyId) : (AwsEnvironment.AccessKeyId, AwsEnvironment.SecretAccessKey);
            throw new CredentialUnavailableException(ProviderName, $"{set} is set but {missing} is not; set both (and {AwsEnvironment.SessionToken} for temporary credentials)", null);
        }

        return new(AwsStaticSpec.Create(ProviderName, id, secret, AwsEnvironment.Get(AwsEnvironment.SessionToken)));
    }
}

/// <summary>The <c>aws/env</c> member of a chain (or the <c>Environment</c> credential source of a role profile).</summary>
internal sealed record AwsEnvironmentSpec : CredentialSpec
{
    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context) => new AwsEnvironmentProvider();
}
