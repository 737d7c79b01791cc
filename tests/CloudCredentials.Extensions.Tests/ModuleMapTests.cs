using System.Text.RegularExpressions;

namespace CloudCredentials.Tests;

/// <summary>
/// The module map of ARCHITECTURE.md: imports run one way, top to bottom. A folder may use only the folders listed
/// for it (and the root namespace), by a using directive or a qualified name.
/// </summary>
public sealed class ModuleMapTests
{
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["DependencyInjection"] = ["Providers", "Caching", "Http", "Configuration", "Diagnostics"],
        ["Providers"] = ["Http", "Configuration", "Diagnostics"],
        ["Caching"] = ["Diagnostics"],
        ["Http"] = ["Diagnostics"],
        ["Configuration"] = [],
        ["Diagnostics"] = [],
    };

    [Fact]
    public void SourceFolders_ImportOnlyLowerModules()
    {
        string src = Path.Combine(RepositoryRoot(), "src", "CloudCredentials.Extensions");
        var violations = new List<string>();
        foreach ((string folder, string[] allowed) in Allowed)
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(src, folder), "*.cs", SearchOption.AllDirectories))
            {
                string text = File.ReadAllText(file);
                foreach (string module in Allowed.Keys.Where(m => m != folder && !allowed.Contains(m)))
                {
                    if (Regex.IsMatch(text, $@"(using\s+CloudCredentials\.{module}\s*;)|(\bCloudCredentials\.{module}\.)|((?<![\w.])({module})\.[A-Z]\w+\.)", RegexOptions.None, TimeSpan.FromSeconds(1))
                        && !IsOnlyInComments(text, module))
                    {
                        violations.Add($"{folder}/{Path.GetFileName(file)} uses {module}");
                    }
                }
            }
        }

        violations.Should().BeEmpty("lower modules must not import higher ones (ARCHITECTURE.md, module map)");
    }

    private static bool IsOnlyInComments(string text, string module)
        => text.Split('\n').Where(l => l.Contains(module + ".", StringComparison.Ordinal) || l.Contains("CloudCredentials." + module, StringComparison.Ordinal))
            .All(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal));

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CloudCredentials.Extensions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("CloudCredentials.Extensions.sln not found above the test binaries.");
    }
}
