using System.Runtime.CompilerServices;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>
/// Runs before any test: the default chain must never reach the real metadata address (100.100.100.200) or read
/// the machine's real ~/.aliyun or ~/.alibabacloud. ECS metadata is disabled and HOME points at an empty
/// temporary folder unless a test sets its own (through <see cref="EnvironmentScope"/>).
/// </summary>
internal static class TestEnvironmentDefaults
{
    public static string EmptyHome { get; private set; } = string.Empty;

    [ModuleInitializer]
    internal static void Initialize()
    {
        EmptyHome = Path.Combine(Path.GetTempPath(), "cloudcredentials-tests-home-" + Environment.ProcessId);
        Directory.CreateDirectory(EmptyHome);
        Environment.SetEnvironmentVariable("HOME", EmptyHome);
        Environment.SetEnvironmentVariable("USERPROFILE", EmptyHome);
        Environment.SetEnvironmentVariable("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
        foreach (string name in EnvironmentScope.CredentialVariables)
        {
            // HOME and USERPROFILE are in the list (a scope restores them) but were just set: clearing them would let
            // the library fall back to the account's real home folder.
            if (name is not ("ALIBABA_CLOUD_ECS_METADATA_DISABLED" or "HOME" or "USERPROFILE"))
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}
