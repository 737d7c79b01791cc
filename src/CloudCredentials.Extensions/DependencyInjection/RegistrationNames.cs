namespace CloudCredentials.DependencyInjection;

/// <summary>The names of every <c>AddCloudCredentials</c> registration of one service collection.</summary>
internal sealed class RegistrationNames
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _configuredInCode = new(StringComparer.Ordinal);

    /// <summary>Adds a name; false when it was registered already.</summary>
    public bool Add(string name) => _names.Add(name);

    /// <summary>Records that a registration is configured in code (or by a custom provider), so it needs no section.</summary>
    public void MarkConfiguredInCode(string name) => _configuredInCode.Add(name);

    /// <summary>Whether a registration is configured in code.</summary>
    public bool IsConfiguredInCode(string name) => _configuredInCode.Contains(name);
}
