using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Cli.Tests.TestSupport;

/// <summary>
/// An <see cref="EnvironmentScope"/> for the tool: a fresh empty HOME, every credential variable cleared, ECS
/// metadata disabled, EC2 metadata disabled, no <c>CloudCredentials__*</c> settings, and a temporary working folder
/// (no stray appsettings.json). Tests that use it belong to <see cref="EnvironmentCollection"/>.
/// </summary>
public sealed class CliEnvironment : IDisposable
{
    private readonly string _previousDirectory = Directory.GetCurrentDirectory();

    public CliEnvironment()
    {
        Scope = new EnvironmentScope().Set("AWS_EC2_METADATA_DISABLED", "true");
        foreach (string name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("CloudCredentials__", StringComparison.OrdinalIgnoreCase))
            {
                Scope.Set(name, null);
            }
        }

        Directory.SetCurrentDirectory(Scope.Home);
    }

    public EnvironmentScope Scope { get; }

    public string Home => Scope.Home;

    public CliEnvironment Set(string name, string? value)
    {
        Scope.Set(name, value);
        return this;
    }

    public void Dispose()
    {
        Directory.SetCurrentDirectory(_previousDirectory);
        Scope.Dispose();
    }
}
