namespace CloudCredentials.Emulator.Internal;

/// <summary>An immutable copy of <see cref="EmulatorOptions"/> taken at start, so later changes to the options object have no effect.</summary>
internal sealed class EmulatorSettings
{
    private EmulatorSettings(EmulatorOptions options)
    {
        TimeProvider = options.TimeProvider;
        CredentialLifetime = options.CredentialLifetime;
        RoleName = options.RoleName;
        RequireImdsV2 = options.RequireImdsV2;
        AccessKeys = new Dictionary<string, string>(options.AccessKeys, StringComparer.Ordinal);
        CredentialsUriPath = options.CredentialsUriPath;
        OidcTokenValidator = options.OidcTokenValidator;
        MaxTimestampSkew = options.MaxTimestampSkew;
        RequestLog = options.RequestLog;
        BearerTokens = new HashSet<string>(options.BearerTokens, StringComparer.Ordinal);
        Aws = new AwsSettings(options.Aws);
    }

    public IReadOnlySet<string> BearerTokens { get; }

    public AwsSettings Aws { get; }

    public TimeProvider TimeProvider { get; }

    public TimeSpan CredentialLifetime { get; }

    public string RoleName { get; }

    public bool RequireImdsV2 { get; }

    public IReadOnlyDictionary<string, string> AccessKeys { get; }

    public string CredentialsUriPath { get; }

    public Func<string, bool>? OidcTokenValidator { get; }

    public TimeSpan? MaxTimestampSkew { get; }

    /// <summary>Receives one line per request (method, path without query, status); never headers, query or bodies.</summary>
    public Action<string>? RequestLog { get; }

    public static EmulatorSettings From(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new EmulatorSettings(options);
    }
}
