using CloudCredentials.Aws.Profiles;
using CloudCredentials.Credentials;

namespace CloudCredentials.Aws.DefaultChain;

/// <summary>
/// The <c>aws/profile</c> source: the profile named by the <c>Profile</c> setting, else <c>AWS_PROFILE</c>, else
/// <c>AWS_DEFAULT_PROFILE</c>, else <c>default</c>. The files are read and the profile resolved on every fetch (a
/// profile that resolves to the same spec reuses its provider, so a role's source cache survives). In the chain
/// (<see cref="Strict"/> off) a missing <c>default</c> profile, missing files, or a profile without credential settings
/// are "not configured"; a profile named explicitly that does not exist is an error listing the existing ones.
/// </summary>
/// <param name="Options">The registration's options.</param>
/// <param name="Section">The configuration path, for errors.</param>
/// <param name="Strict">Type <c>profile</c>: every absence is an error.</param>
internal sealed record AwsProfileSpec(CloudCredentialsOptions Options, string Section, bool Strict) : CredentialSpec
{
    /// <summary>The profile name and what named it (<see langword="null"/> for the <c>default</c> fallback).</summary>
    public (string Name, string? NamedBy) ProfileName()
        => AwsEnvironment.Setting(Options.Profile, null) is { } fromOptions ? (fromOptions, $"{Section}:Profile")
            : AwsEnvironment.Get(AwsEnvironment.Profile)?.Trim() is { } fromEnv ? (fromEnv, AwsEnvironment.Profile)
            : AwsEnvironment.Get(AwsEnvironment.DefaultProfile)?.Trim() is { } fromDefault ? (fromDefault, AwsEnvironment.DefaultProfile)
            : ("default", null);

    /// <summary>
    /// The STS settings of the profile this registration would use (<see cref="ProfileName"/>): its <c>endpoint_url</c>
    /// and <c>region</c>, for sources outside the profile (web identity from the environment, explicit types) that still
    /// resolve STS from it, as the AWS SDKs do. Missing or unreadable files give none (the profile member reports them).
    /// </summary>
    /// <returns>The endpoint URL, region and a name for errors.</returns>
    public (string? EndpointUrl, string? Region, string Name) StsSettings()
    {
        (string profileName, _) = ProfileName();
        try
        {
            AwsProfile? profile = AwsProfileStore.Load(Options.ConfigFile, Options.CredentialsFile).Find(profileName);
            return profile?.StsSettings ?? (null, null, "no profile");
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            return (null, null, "no profile");
        }
    }

    /// <summary>Reads the files and resolves the profile now.</summary>
    /// <returns>The spec of the profile's source.</returns>
    /// <exception cref="CredentialUnavailableException">A problem; <see cref="SourceNotConfiguredException"/> when the profile is simply absent.</exception>
    public CredentialSpec ResolveNow()
    {
        const string name = AwsCredentialProviderNames.Profile;
        (string profileName, string? namedBy) = ProfileName();
        AwsProfileStore store;
        try
        {
            store = AwsProfileStore.Load(Options.ConfigFile, Options.CredentialsFile);
        }
        catch (FormatException ex)
        {
            throw new CredentialUnavailableException(name, $"cannot read the AWS shared files: {ex.Message}", ex);
        }

        bool explicitName = Strict || namedBy is not null;
        AwsProfile profile = store.Find(profileName) ?? throw (explicitName
            ? new CredentialUnavailableException(name, $"profile '{profileName}' (from {namedBy ?? "the default profile name"}) does not exist; {store.DescribeProfiles()}", null)
            : new SourceNotConfiguredException(name, store.AnyFileExists ? $"no 'default' profile in {store.Files}" : $"neither {store.ConfigPath} nor {store.CredentialsPath} exists"));
        CredentialSpec? spec = new AwsProfileResolver(store, Options, Section).Resolve(profile);
        return spec ?? throw (Strict
            ? new CredentialUnavailableException(name, $"profile '{profileName}' has no credentials: set aws_access_key_id and aws_secret_access_key, role_arn with source_profile or credential_source, web_identity_token_file or credential_process", null)
            : new SourceNotConfiguredException(name, $"profile '{profileName}' has no credential settings"));
    }

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AwsProfileProvider(this, context);
    }

    private sealed class AwsProfileProvider(AwsProfileSpec spec, ProviderBuildContext context) : ICredentialProvider
    {
        private readonly object _gate = new();
        private (CredentialSpec Spec, ICredentialProvider Provider)? _built;

        public string ProviderName => AwsCredentialProviderNames.Profile;

        public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
        {
            CredentialSpec resolved = spec.ResolveNow();
            ICredentialProvider provider;
            lock (_gate)
            {
                if (_built is not { } built || built.Spec != resolved)
                {
                    _built = built = (resolved, resolved.Build(context));
                }

                provider = built.Provider;
            }

            CloudCredential credential = await provider.FetchAsync(cancellationToken).ConfigureAwait(false);
            return credential.WithProviderName(AwsCredentialProviderNames.Join(ProviderName, credential.ProviderName));
        }
    }
}
