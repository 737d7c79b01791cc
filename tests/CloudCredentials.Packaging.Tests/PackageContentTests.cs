using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Xml.Linq;

namespace CloudCredentials.Packaging.Tests;

/// <summary>What each package carries: license, readme, repository metadata, symbols with SourceLink and no build paths.</summary>
[Collection(PackagesCollection.Name)]
public sealed class PackageContentTests(PackageFolder packages)
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public void Every_package_has_license_readme_repository_and_symbols()
    {
        string[] nupkgs = Directory.GetFiles(packages.Directory, "*.nupkg");
        nupkgs.Select(Path.GetFileName).Should().Contain(n => n!.StartsWith("CloudCredentials.Extensions.", StringComparison.Ordinal))
            .And.Contain(n => n!.StartsWith("CloudCredentials.Emulator.", StringComparison.Ordinal));

        foreach (string nupkg in nupkgs)
        {
            string name = Path.GetFileName(nupkg);
            XDocument spec = PackageFolder.Nuspec(nupkg);
            Element(spec, "license").Should().Be("MIT", name);
            Attribute(spec, "license", "type").Should().Be("expression", name);
            Element(spec, "authors").Should().NotBeNullOrWhiteSpace(name);
            Element(spec, "description").Should().NotBeNullOrWhiteSpace(name);
            Element(spec, "projectUrl").Should().StartWith("https://", name);
            Attribute(spec, "repository", "type").Should().Be("git", name);
            Attribute(spec, "repository", "url").Should().StartWith("https://", name);
            Attribute(spec, "repository", "commit").Should().MatchRegex("^[0-9a-f]{40}$", name);

            string readme = Element(spec, "readme");
            PackageFolder.Entries(nupkg).Should().Contain(readme, $"{name} ships the readme its nuspec names");

            string snupkg = Path.ChangeExtension(nupkg, ".snupkg");
            File.Exists(snupkg).Should().BeTrue($"{name} has a symbol package");
            CheckSymbols(snupkg);
        }
    }

    [Fact]
    public void The_library_package_carries_the_analyzer_the_schema_and_the_xml_docs()
    {
        IReadOnlyList<string> entries = PackageFolder.Entries(packages.Package("CloudCredentials.Extensions"));
        entries.Should().Contain("lib/net10.0/CloudCredentials.Extensions.dll")
            .And.Contain("lib/net10.0/CloudCredentials.Extensions.xml")
            .And.Contain("analyzers/dotnet/cs/CloudCredentials.Extensions.Analyzers.dll")
            .And.Contain("schemas/cloudcredentials.schema.json");
        entries.Should().NotContain(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Analyzers", StringComparison.Ordinal),
            "the analyzer is not a library reference");

        XDocument spec = PackageFolder.Nuspec(packages.Package("CloudCredentials.Extensions"));
        spec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).Should()
            .NotContain(id => id.StartsWith("CloudCredentials", StringComparison.Ordinal), "the analyzer ships inside, not as a dependency");
    }

    [Fact]
    public void The_emulator_package_is_a_dotnet_tool_without_the_library()
    {
        string nupkg = packages.Package("CloudCredentials.Emulator");
        PackageFolder.Nuspec(nupkg).Descendants().Should().Contain(e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool");
        IReadOnlyList<string> entries = PackageFolder.Entries(nupkg);
        entries.Should().Contain(e => e.EndsWith("/CloudCredentials.Emulator.dll", StringComparison.Ordinal));
        entries.Should().NotContain(e => e.EndsWith("/CloudCredentials.Extensions.dll", StringComparison.Ordinal), "the emulator has its own code");
    }

    // Portable PDBs: SourceLink maps the mapped root /_/ to the repository; no document keeps this machine's paths.
    private static void CheckSymbols(string snupkg)
    {
        using ZipArchive zip = ZipFile.OpenRead(snupkg);
        ZipArchiveEntry[] pdbs = [.. zip.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal))];
        pdbs.Should().NotBeEmpty($"{Path.GetFileName(snupkg)} holds PDBs");
        foreach (ZipArchiveEntry entry in pdbs)
        {
            using var buffer = new MemoryStream();
            using (Stream stream = entry.Open())
            {
                stream.CopyTo(buffer);
            }

            buffer.Position = 0;
            using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(buffer);
            MetadataReader reader = provider.GetMetadataReader();
            string[] documents = [.. reader.Documents.Select(h => reader.GetString(reader.GetDocument(h).Name))];
            documents.Should().NotBeEmpty().And.OnlyContain(d => d.StartsWith("/_/", StringComparison.Ordinal), $"{entry.FullName} maps source paths");

            string sourceLink = reader.CustomDebugInformation
                .Select(reader.GetCustomDebugInformation)
                .Where(c => reader.GetGuid(c.Kind) == SourceLinkKind)
                .Select(c => Encoding.UTF8.GetString(reader.GetBlobBytes(c.Value)))
                .SingleOrDefault() ?? string.Empty;
            sourceLink.Should().Contain("\"/_/*\"", $"{entry.FullName} has SourceLink").And.Contain("https://");
        }
    }

    private static string Element(XDocument spec, string name) =>
        spec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? string.Empty;

    private static string Attribute(XDocument spec, string element, string attribute) =>
        (string?)spec.Descendants().FirstOrDefault(e => e.Name.LocalName == element)?.Attribute(attribute) ?? string.Empty;
}
