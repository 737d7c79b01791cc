using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CloudCredentials.Packaging.Tests;

/// <summary>
/// The folder of packages under test. With <c>CLOUDCREDENTIALS_PACKAGES</c> set (say to the <c>artifacts</c> folder of
/// <c>dotnet pack -c Release -o artifacts</c>), those packages; otherwise every project under src/ is packed once, in
/// Release, into a folder of its own under artifacts/packaging-tests/ (its own obj/bin too, via --artifacts-path,
/// so it never races the Debug build of <c>dotnet test</c>). Inside the repository, so PDB paths are mapped to /_/.
/// </summary>
public sealed class PackageFolder : IAsyncLifetime
{
    public const string EnvironmentVariable = "CLOUDCREDENTIALS_PACKAGES";

    private string? _workDirectory;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Gets the folder holding the .nupkg and .snupkg files.</summary>
    public string Directory { get; private set; } = string.Empty;

    /// <summary>Gets the output of the pack, or <see langword="null"/> when the packages came from <see cref="EnvironmentVariable"/>.</summary>
    public ProcessResult? PackResult { get; private set; }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } existing)
        {
            Directory = Path.GetFullPath(existing);
            return;
        }

        _workDirectory = Path.Combine(RepositoryRoot, "artifacts", "packaging-tests", Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(_workDirectory);
        Directory = Path.Combine(_workDirectory, "packages");

        // A solution filter of every project under src/: a new packable project is picked up without editing this test.
        string[] projects = System.IO.Directory.GetFiles(Path.Combine(RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepositoryRoot, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        string filter = Path.Combine(_workDirectory, "pack.slnf");
        string projectList = string.Join(",", projects.Select(p => $"\"{p}\""));
        string solution = Path.Combine(RepositoryRoot, "CloudCredentials.Extensions.sln").Replace("\\", "\\\\", StringComparison.Ordinal);
        await File.WriteAllTextAsync(filter, $$"""{ "solution": { "path": "{{solution}}", "projects": [ {{projectList}} ] } }""");

        PackResult = await DotnetCli.DotnetAsync(RepositoryRoot, null, TimeSpan.FromMinutes(6),
            "pack", filter, "-c", "Release", "-o", Directory, "--artifacts-path", Path.Combine(_workDirectory, "build"), "--disable-build-servers");
        if (PackResult.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed, " + PackResult);
        }
    }

    public Task DisposeAsync()
    {
        if (_workDirectory is not null && System.IO.Directory.Exists(_workDirectory))
        {
            System.IO.Directory.Delete(_workDirectory, recursive: true);
            string parent = Path.GetDirectoryName(_workDirectory)!;
            if (!System.IO.Directory.EnumerateFileSystemEntries(parent).Any())
            {
                System.IO.Directory.Delete(parent);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The path of the package with this id (the one .nupkg of it in the folder).</summary>
    public string Package(string id) => FindPackage(id) ?? throw new FileNotFoundException($"No {id}.<version>.nupkg in {Directory}.");

    /// <summary>The path of the package with this id, or <see langword="null"/>.</summary>
    public string? FindPackage(string id) =>
        System.IO.Directory.GetFiles(Directory, id + ".*.nupkg").SingleOrDefault(p => VersionPattern(id).IsMatch(Path.GetFileName(p)));

    /// <summary>The version of a package, from its file name.</summary>
    public string VersionOf(string id) => VersionPattern(id).Match(Path.GetFileName(Package(id))).Groups["version"].Value;

    /// <summary>The tool packages in the folder, with their command names.</summary>
    public IReadOnlyList<(string Id, string Command)> ToolPackages() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.nupkg")
            .Select(path => (Path: path, Spec: Nuspec(path)))
            .Where(p => p.Spec.Descendants().Any(e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool"))
            .Select(p => ((string)p.Spec.Descendants().First(e => e.Name.LocalName == "id"), ToolCommand(p.Path)))
            .OrderBy(t => t.Item1, StringComparer.Ordinal)];

    /// <summary>The nuspec of a package.</summary>
    public static XDocument Nuspec(string nupkg)
    {
        using ZipArchive zip = ZipFile.OpenRead(nupkg);
        ZipArchiveEntry entry = zip.Entries.Single(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = entry.Open();
        return XDocument.Load(stream);
    }

    /// <summary>The file names inside a package (forward slashes).</summary>
    public static IReadOnlyList<string> Entries(string nupkg)
    {
        using ZipArchive zip = ZipFile.OpenRead(nupkg);
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    private static string ToolCommand(string nupkg)
    {
        using ZipArchive zip = ZipFile.OpenRead(nupkg);
        ZipArchiveEntry settings = zip.Entries.Single(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        using Stream stream = settings.Open();
        return (string)XDocument.Load(stream).Descendants("Command").Single().Attribute("Name")!;
    }

    private static Regex VersionPattern(string id) =>
        new($"^{Regex.Escape(id)}\\.(?<version>[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?)\\.nupkg$", RegexOptions.CultureInvariant);

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CloudCredentials.Extensions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"CloudCredentials.Extensions.sln not found above {AppContext.BaseDirectory}.");
    }
}
