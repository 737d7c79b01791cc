namespace CloudCredentials.Samples.AwsFieldReports;

/// <summary>Sets environment variables of this process for one report and puts the previous values back on dispose.</summary>
internal sealed class EnvironmentOverride : IDisposable
{
    /// <summary>The AWS variables that could make another credential source answer; cleared by every report.</summary>
    public static readonly string[] AwsVariables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        "AWS_EC2_METADATA_V1_DISABLED", "AWS_METADATA_SERVICE_TIMEOUT", "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
        "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION",
    ];

    private readonly Dictionary<string, string?> _saved = [];
    private readonly string _home;

    /// <summary>
    /// Clears <see cref="AwsVariables"/>, points HOME at an empty folder (no <c>~/.aws</c> files), disables EC2 instance
    /// metadata (nothing may reach 169.254.169.254), then sets <paramref name="values"/>.
    /// </summary>
    public EnvironmentOverride(IReadOnlyDictionary<string, string?>? values = null)
    {
        _home = Directory.CreateTempSubdirectory("aws-field-reports-").FullName;
        foreach (string name in AwsVariables)
        {
            Set(name, null);
        }

        Set("HOME", _home);
        Set("USERPROFILE", _home);
        Set("AWS_EC2_METADATA_DISABLED", "true");
        foreach ((string name, string? value) in values ?? new Dictionary<string, string?>())
        {
            Set(name, value);
        }
    }

    /// <summary>Sets one variable for the rest of the scope.</summary>
    public void Set(string name, string? value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach ((string name, string? value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Directory.Delete(_home, recursive: true);
    }
}
