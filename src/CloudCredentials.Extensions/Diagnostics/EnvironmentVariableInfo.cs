namespace CloudCredentials.Diagnostics;

/// <summary>One environment variable the library reads (see <c>CloudCredentialsDiagnostics.EnvironmentVariables</c>).</summary>
public sealed class EnvironmentVariableInfo
{
    internal EnvironmentVariableInfo(string name, string cloud, string description, bool isSecret)
    {
        Name = name;
        Cloud = cloud;
        Description = description;
        IsSecret = isSecret;
    }

    /// <summary>Gets the variable name, such as <c>ALIBABA_CLOUD_ACCESS_KEY_ID</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the cloud whose providers read it: <c>alibaba</c> or <c>aws</c>.</summary>
    public string Cloud { get; }

    /// <summary>Gets what the variable does.</summary>
    public string Description { get; }

    /// <summary>Gets whether its value is a secret (never print it; show that it is set, not what it is).</summary>
    public bool IsSecret { get; }

    /// <summary>Returns <c>{name} ({cloud})</c>.</summary>
    /// <returns>The name and cloud; never a value.</returns>
    public override string ToString() => $"{Name} ({Cloud})";
}
