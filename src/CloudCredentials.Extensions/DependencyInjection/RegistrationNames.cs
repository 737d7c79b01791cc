namespace CloudCredentials.DependencyInjection;

/// <summary>The names of every <c>AddCloudCredentials</c> registration of one service collection.</summary>
internal sealed class RegistrationNames
{
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    /// <summary>Adds a name; false when it was registered already.</summary>
    public bool Add(string name)
    {
        if (_names.Contains(name, StringComparer.Ordinal))
        {
            return false;
        }

        _names.Add(name);
        return true;
    }
}
