namespace CloudCredentials.Emulator.Internal;

/// <summary>An immutable copy of <see cref="AwsEmulatorOptions"/> taken at start.</summary>
internal sealed class AwsSettings(AwsEmulatorOptions options)
{
    public string RoleName { get; } = options.RoleName;

    public bool ImdsV1Disabled { get; } = options.ImdsV1Disabled;

    public TimeSpan? MaxImdsTokenTtl { get; } = options.MaxImdsTokenTtl;

    public string ContainerPath { get; } = options.ContainerPath;

    public string? ContainerAuthorizationToken { get; } = options.ContainerAuthorizationToken;

    public string? WebIdentityToken { get; } = options.WebIdentityToken;

    public IReadOnlyDictionary<string, string> AccessKeys { get; } = new Dictionary<string, string>(options.AccessKeys, StringComparer.Ordinal);
}
