using System.Globalization;
using CloudCredentials.Aws.AssumeRole;
using CloudCredentials.Aws.Container;
using CloudCredentials.Aws.InstanceMetadata;
using CloudCredentials.Aws.Process;
using CloudCredentials.Aws.Profiles;
using CloudCredentials.Aws.Static;
using CloudCredentials.Aws.Sts;
using CloudCredentials.Aws.WebIdentity;
using CloudCredentials.Credentials;

namespace CloudCredentials.Aws.DefaultChain;

/// <summary>
/// Turns a profile of the shared files into the spec of its source: <c>role_arn</c> with <c>web_identity_token_file</c>,
/// <c>source_profile</c> (followed with cycle detection; a profile may name itself only when it has static keys) or
/// <c>credential_source</c> (<c>Environment</c>, <c>Ec2InstanceMetadata</c>, <c>EcsContainer</c>, case-insensitive);
/// static keys (with <c>aws_session_token</c>); <c>credential_process</c>. IAM Identity Center (<c>sso_*</c>,
/// <c>sso_session</c>), <c>login_session</c> and <c>mfa_serial</c> are refused with what to do instead. Every problem is a
/// <see cref="CredentialUnavailableException"/> of <c>aws/profile</c> naming the profile and the key.
/// </summary>
internal sealed class AwsProfileResolver(AwsProfileStore store, CloudCredentialsOptions options, string section)
{
    private const string Name = AwsCredentialProviderNames.Profile;

    /// <summary>Resolves a profile; <see langword="null"/> when it holds no credential settings at all (only a region, say).</summary>
    public CredentialSpec? Resolve(AwsProfile profile) => Resolve(profile, []);

    private CredentialSpec? Resolve(AwsProfile profile, List<string> chain)
    {
        CheckOutOfScope(profile);
        string p = profile.Name;
        string? roleArn = profile.Get("role_arn");
        string? sourceProfile = profile.Get("source_profile");
        string? credentialSource = profile.Get("credential_source");
        string? tokenFile = profile.Get("web_identity_token_file");
        if (roleArn is null)
        {
            string? orphan = tokenFile is not null ? "web_identity_token_file" : sourceProfile is not null ? "source_profile" : credentialSource is not null ? "credential_source" : null;
            if (orphan is not null)
            {
                throw Fail($"profile '{p}' has {orphan} but no role_arn; add the role_arn to assume");
            }

            if (StaticKeys(profile) is { } keys)
            {
                return keys;
            }

            return profile.Get("credential_process") is { } command ? new CredentialProcessSpec(command, $"credential_process of profile '{p}'") : null;
        }

        AwsStsEndpoint endpoint = Endpoint(profile);
        string? sessionName = profile.Get("role_session_name");
        if (sessionName is not null && !RoleSessionName.IsValid(sessionName))
        {
            throw Fail($"role_session_name of profile '{p}' is invalid; {RoleSessionName.Rule}");
        }

        if (tokenFile is not null)
        {
            return new WebIdentitySpec(roleArn, tokenFile, sessionName, endpoint, Duration(profile), null, $"web_identity_token_file of profile '{p}'");
        }

        if (sourceProfile is not null && credentialSource is not null)
        {
            throw Fail($"profile '{p}' has both source_profile and credential_source; keep only one of them");
        }

        CredentialSpec source = sourceProfile is not null ? SourceProfile(profile, sourceProfile, chain)
            : credentialSource is not null ? CredentialSource(p, credentialSource)
            : throw Fail($"profile '{p}' has role_arn but neither source_profile nor credential_source; add one to say which credentials assume the role");
        return new AssumeRoleSpec(source, new AwsRoleRequest(roleArn, sessionName ?? string.Empty, Duration(profile), profile.Get("external_id"), null), endpoint);
    }

    private CredentialSpec SourceProfile(AwsProfile profile, string sourceName, List<string> chain)
    {
        if (sourceName == profile.Name && profile.HasStaticKeys)
        {
            return StaticKeys(profile)!; // the self-referencing profile: its own keys assume its role
        }

        var path = new List<string>(chain) { profile.Name };
        if (path.Contains(sourceName, StringComparer.Ordinal))
        {
            throw Fail($"source_profile cycle: {string.Join(" -> ", path)} -> {sourceName}; break the cycle (a profile may name itself as source_profile only when it also has aws_access_key_id and aws_secret_access_key)");
        }

        AwsProfile source = store.Find(sourceName)
            ?? throw Fail($"source_profile '{sourceName}' of profile '{profile.Name}' does not exist; {store.DescribeProfiles()}");
        return (source.HasStaticKeys ? (CredentialSpec?)StaticKeys(source) : Resolve(source, path))
            ?? throw Fail($"source_profile '{sourceName}' of profile '{profile.Name}' has no credentials; give it aws_access_key_id and aws_secret_access_key, a role or credential_process");
    }

    private CredentialSpec CredentialSource(string p, string value)
    {
        var errors = new List<string>();
        (CredentialSpec? spec, string what) = value.ToLowerInvariant() switch
        {
            "environment" => (new AwsEnvironmentSpec(), "Environment"),
            "ec2instancemetadata" => (InstanceMetadataSpec.Resolve(AwsEnvironment.Setting(options.MetadataEndpoint, null), errors), "Ec2InstanceMetadata"),
            "ecscontainer" => (ContainerSpec.Resolve(AwsEnvironment.Setting(options.ContainerEndpoint, null), errors), "EcsContainer"),
            _ => throw Fail($"credential_source '{value}' of profile '{p}' is not valid; use Environment, Ec2InstanceMetadata or EcsContainer"),
        };
        return spec switch
        {
            _ when errors.Count > 0 => throw Fail($"credential_source {what} of profile '{p}': {string.Join("; ", errors)}"),
            DeclinedSpec declined => throw Fail($"credential_source {what} of profile '{p}' cannot be used: {declined.Reason}"),
            null => throw Fail($"credential_source {what} of profile '{p}' is not usable"),
            _ => spec,
        };
    }

    private AwsStaticSpec? StaticKeys(AwsProfile profile)
    {
        string? id = profile.Get("aws_access_key_id");
        string? secret = profile.Get("aws_secret_access_key");
        if (id is null && secret is null)
        {
            return null;
        }

        return id is null || secret is null
            ? throw Fail($"profile '{profile.Name}' has {(id is null ? "aws_secret_access_key but no aws_access_key_id" : "aws_access_key_id but no aws_secret_access_key")}; set both")
            : new AwsStaticSpec(id, secret, profile.Get("aws_session_token"));
    }

    private AwsStsEndpoint Endpoint(AwsProfile profile)
        => AwsStsEndpoint.Resolve(
            (options.StsEndpoint, $"{section}:StsEndpoint"),
            (options.Region, $"{section}:Region"),
            profile.StsSettings,
            out string? problem) ?? throw Fail(problem!);

    private static int? Duration(AwsProfile profile)
        => profile.Get("duration_seconds") is not { } text ? null
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds is >= 900 and <= 43200 ? seconds
            : throw Fail($"duration_seconds of profile '{profile.Name}' must be a whole number of seconds from 900 to 43200");

    private static void CheckOutOfScope(AwsProfile profile)
    {
        string p = profile.Name;
        foreach (string key in profile.Values.Keys.Order(StringComparer.Ordinal))
        {
            string? reason = key switch
            {
                _ when key.StartsWith("sso_", StringComparison.Ordinal) => "IAM Identity Center (SSO), which this library does not support",
                "login_session" => "console login credentials, which this library does not support",
                "mfa_serial" => "an MFA code for every AssumeRole, which a background refresh cannot ask for",
                _ => null,
            };
            if (reason is not null)
            {
                throw Fail($"profile '{p}' uses {key}: {reason}. Instead, set credential_process = aws configure export-credentials --profile {p} --format process in another profile (or export the credentials with the AWS CLI), or use static keys, a role with source_profile / credential_source, web identity or credential_process");
            }
        }
    }

    private static CredentialUnavailableException Fail(string reason) => new(Name, reason, null);
}
