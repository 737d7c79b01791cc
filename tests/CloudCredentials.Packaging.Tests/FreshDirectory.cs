using System.Security;
using System.Text.RegularExpressions;

namespace CloudCredentials.Packaging.Tests;

/// <summary>
/// A temporary folder outside the repository (no Directory.Build.props, no central package versions) with a
/// nuget.config that takes CloudCredentials.* only from the package folder under test, everything else from this
/// machine's package cache and then its configured registries, and restores into a global packages folder of its
/// own: a package from an earlier run can never stand in for the one under test.
/// </summary>
internal sealed partial class FreshDirectory : IDisposable
{
    private FreshDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>The environment for every command run here: the fresh global packages folder.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = System.IO.Path.Combine(Path, ".nuget-packages"),
    };

    public static async Task<FreshDirectory> CreateAsync(string packageFolder)
    {
        var fresh = new FreshDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cloudcredentials-smoke-" + Guid.NewGuid().ToString("N")[..12]));
        Directory.CreateDirectory(fresh.Path);

        // Where this machine restores from (its registries) and what it already has (its global packages folder).
        ProcessResult sources = await DotnetCli.DotnetAsync(fresh.Path, null, TimeSpan.FromMinutes(1), "nuget", "list", "source", "--format", "short");
        ProcessResult locals = await DotnetCli.DotnetAsync(fresh.Path, null, TimeSpan.FromMinutes(1), "nuget", "locals", "global-packages", "--list");
        string machineCache = GlobalPackagesLine().Match(locals.Output) is { Success: true } m ? m.Groups["path"].Value.Trim() : string.Empty;
        List<string> registries = [.. EnabledSourceLine().Matches(sources.Output).Select(s => s.Groups["source"].Value.Trim())];

        List<(string Key, string Value, string Pattern)> feeds = [("cloudcredentials-under-test", packageFolder, "CloudCredentials.*")];
        if (Directory.Exists(machineCache))
        {
            feeds.Add(("machine-package-cache", machineCache, "*"));
        }

        feeds.AddRange(registries.Select((r, i) => ($"registry-{i}", r, "*")));
        string xml = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
            {string.Concat(feeds.Select(f => $"    <add key=\"{f.Key}\" value=\"{SecurityElement.Escape(f.Value)}\" />\n"))}  </packageSources>
              <packageSourceMapping>
                <clear />
            {string.Concat(feeds.Select(f => $"    <packageSource key=\"{f.Key}\"><package pattern=\"{f.Pattern}\" /></packageSource>\n"))}  </packageSourceMapping>
            </configuration>
            """;
        await File.WriteAllTextAsync(System.IO.Path.Combine(fresh.Path, "nuget.config"), xml);
        return fresh;
    }

    public Task WriteAsync(string relativePath, string content) =>
        File.WriteAllTextAsync(System.IO.Path.Combine(Path, relativePath), content);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A tool still shutting down; the temp folder is cleaned by the OS.
        }
    }

    [GeneratedRegex(@"^\s*global-packages:\s*(?<path>.+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex GlobalPackagesLine();

    [GeneratedRegex(@"^\s*E\S*\s+(?<source>\S+)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex EnabledSourceLine();
}
