namespace CloudCredentials.DependencyInjection;

/// <summary>The names of every <c>AddCloudCredentials</c> registration of one service collection.</summary>
internal sealed class RegistrationNames
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Adds a name; false when it was registered already.</summary>
    public bool Add(string name) => _names.Add(name);
}
