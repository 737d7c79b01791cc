using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis;

namespace CloudCredentials.Tests;

/// <summary>
/// The module map, checked on type references with Roslyn. A module is the folder of a source file relative to
/// src/CloudCredentials.Extensions ("" for the root). Every type a file names - by a name, a member access, an object
/// creation, an attribute or a cref; for a member its containing type; array elements and generic arguments too - that
/// is declared in the library belongs to the folder of its declaring file, and the file's folder must be allowed to
/// use that folder (<see cref="MayUse"/>). A folder the map does not know (<see cref="IsMapped"/>: a new top-level
/// folder, or one nested below a cloud sub-folder) fails the check. The build's source generators are emulated by
/// <see cref="WithGeneratedParts"/>, implicit usings by a global-usings tree.
/// </summary>
public sealed class ModuleMapTests
{
    /// <summary>Cloud folders: each gets the same rules for its sub-folders (see <see cref="MayUse"/>).</summary>
    private static readonly string[] CloudFolders = ["Alibaba", "Aws"];

    /// <summary>Sub-folders of a cloud folder shared by its credential types.</summary>
    private static readonly string[] SharedCloudFolders = ["Sts", "Profiles"];

    /// <summary>The cloud-independent layers and the layers each may use; all of them are open to the cloud folders.</summary>
    private static readonly Dictionary<string, string[]> Layers = new(StringComparer.Ordinal)
    {
        ["Credentials"] = ["Caching", "Http", "Diagnostics", "Internal"],
        ["Caching"] = ["Diagnostics", "Internal"],
        ["Http"] = ["Diagnostics", "Internal"],
        ["Diagnostics"] = ["Internal"],
        ["Internal"] = [],
        // Running a credential command without a shell: shared by the Alibaba External mode and AWS credential_process.
        ["Processes"] = ["Diagnostics", "Internal"],

        // Request signing (ACS3, SigV4) and its HttpClient handlers: pure functions plus logging; the cloud folders
        // (e.g. Aws/Sts signs AssumeRole with SigV4) use it, it uses no cloud folder.
        ["Signing"] = ["Diagnostics", "Internal"],
    };

    private static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithPreprocessorSymbols("NET", "NETCOREAPP", "NET10_0", "NET10_0_OR_GREATER");

    private static readonly SymbolDisplayFormat TypeFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    /// <summary>The platform assemblies plus the test's output folder (Microsoft.Extensions.*, Polly), without the library.</summary>
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        string library = typeof(CloudCredential).Assembly.GetName().Name + ".dll";
        string[] platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return platform.Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(path => !string.Equals(Path.GetFileName(path), library, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase) // the runtime's pick (listed first) wins
            .Where(IsManagedAssembly)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    });

    [Fact]
    public void SourceFolders_UseOnlyTheFoldersTheModuleMapAllows()
    {
        string root = Path.Combine(RepositoryRoot(), "src", "CloudCredentials.Extensions");
        (string Path, string Text)[] files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(path => (Path: Path.GetRelativePath(root, path).Replace('\\', '/'), Full: path))
            .Where(file => !file.Path.Split('/')[..^1].Any(folder => folder is "bin" or "obj"))
            .Select(file => (file.Path, File.ReadAllText(file.Full)))
            .ToArray();
        files.Should().HaveCountGreaterThan(50, "the library's sources are found");

        IReadOnlyList<string> violations = FindViolations(files);

        violations.Should().BeEmpty("the module map forbids these references (file -> folder (type)):{0}{1}",
            Environment.NewLine, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Checker_ReportsAForbiddenReferenceAndAnUnmappedFolder_ButNotAnAllowedReference()
    {
        IReadOnlyList<string> violations = FindViolations(
        [
            ("DependencyInjection/Registry.cs", """
                namespace CloudCredentials.DependencyInjection;
                internal static class Registry { internal static int Count => Caching.Cache.Size; }
                """),
            ("Caching/Cache.cs", """
                namespace CloudCredentials.Caching;
                internal static class Cache { internal static int Size => DependencyInjection.Registry.Count; }
                """),
            ("Misc/Helper.cs", "namespace CloudCredentials.Misc;\ninternal static class Helper { }"),
        ]);

        violations.Should().BeEquivalentTo(
            "Caching/Cache.cs -> DependencyInjection (Registry)",
            "Misc/Helper.cs -> Misc (folder not in the module map)");
    }

    [Fact]
    public void Checker_RefusesSourcesThatDoNotCompile()
    {
        Action check = () => FindViolations([("Caching/Cache.cs", "namespace CloudCredentials.Caching;\ninternal sealed class Cache { Missing? _missing; }")]);

        check.Should().Throw<Exception>().WithMessage("*CS0246*Missing*");
    }

    [Theory]
    [InlineData("object Make() => new Target();", "Target")]
    [InlineData("Target Make() => new();", "Target")]
    [InlineData("int Count() => CloudCredentials.DependencyInjection.Target.Count;", "Target")]
    [InlineData("object Make() => new Dictionary<string, Target[]?>();", "Target")]
    [InlineData("int Twice(int value) => value.Twice();", "TargetExtensions")]
    [InlineData("[Target] void Tagged() { }", "Target")]
    [InlineData("/// <summary>Unlike <see cref=\"Target.Count\"/>.</summary>\nvoid Documented() { }", "Target")]
    public void Checker_SeesEachKindOfTypeReference(string member, string type)
    {
        IReadOnlyList<string> violations = FindViolations(
        [
            ("DependencyInjection/Target.cs", """
                namespace CloudCredentials.DependencyInjection;
                internal sealed class Target : Attribute { internal static int Count; }
                internal static class TargetExtensions { internal static int Twice(this int value) => 2 * value; }
                """),
            ("Caching/User.cs", $$"""
                using CloudCredentials.DependencyInjection;
                namespace CloudCredentials.Caching;
                internal sealed class User
                {
                    {{member}}
                }
                """),
        ]);

        violations.Should().Equal($"Caching/User.cs -> DependencyInjection ({type})");
    }

    [Theory]
    [InlineData("DependencyInjection", "Aws/Static", true)]
    [InlineData("Aws/Options", "Aws/DefaultChain", true)]
    [InlineData("Aws/DefaultChain", "Aws/Sso", true)]
    [InlineData("Aws/DefaultChain", "Aws/Options", false)]
    [InlineData("Aws/Sso", "Aws/Sts", true)]
    [InlineData("Aws/Sso", "Aws/Profiles", true)]
    [InlineData("Aws/Sso", "Credentials", true)]
    [InlineData("Aws/Sso", "Aws", true)]
    [InlineData("Aws/Sso", "Aws/Static", false)]
    [InlineData("Aws/Sso", "Alibaba/Sts", false)]
    [InlineData("Aws/Sts", "Aws/Profiles", false)]
    [InlineData("Aws/Sts", "Http", true)]
    [InlineData("Aws/Sts", "Signing", true)]
    [InlineData("Alibaba/RamRoleArn", "Signing", true)]
    [InlineData("Signing", "Internal", true)]
    [InlineData("Signing", "", true)]
    [InlineData("Signing", "Aws/Sts", false)]
    [InlineData("Signing", "Caching", false)]
    [InlineData("DependencyInjection", "Signing", true)]
    [InlineData("Credentials", "Signing", false)]
    [InlineData("Aws", "Internal", true)]
    [InlineData("Aws", "Credentials", false)]
    [InlineData("Credentials", "Alibaba", false)]
    [InlineData("Credentials", "Caching", true)]
    [InlineData("Caching", "Http", false)]
    [InlineData("Diagnostics", "Caching", false)]
    [InlineData("Internal", "", false)]
    [InlineData("Internal", "Diagnostics", false)]
    [InlineData("", "Internal", true)]
    [InlineData("", "Caching", false)]
    public void Map_AllowsTheListedFolders_AndTheSameForEveryCloudFolder(string from, string to, bool allowed)
        => MayUse(from, to).Should().Be(allowed);

    [Theory]
    [InlineData("", true)]
    [InlineData("Internal", true)]
    [InlineData("Signing", true)]
    [InlineData("Aws", true)]
    [InlineData("Aws/Sso", true)]
    [InlineData("Alibaba/OAuth/Tokens", false)]
    [InlineData("Gcp", false)]
    [InlineData("Providers", false)]
    public void Map_KnowsOnlyItsFolders(string folder, bool mapped) => IsMapped(folder).Should().Be(mapped);

    internal static bool IsMapped(string folder)
    {
        string[] parts = folder.Split('/');
        return folder.Length == 0 || folder == "DependencyInjection" || Layers.ContainsKey(folder)
            || (parts.Length <= 2 && CloudFolders.Contains(parts[0]));
    }

    /// <summary>
    /// Whether a file in <paramref name="from"/> may use a type declared in <paramref name="to"/>. Every folder may use
    /// itself and the root, except Internal, the leaf, which the root may use. DependencyInjection uses everything; each layer the ones listed in <see cref="Layers"/>; a
    /// cloud folder (the environment variables) only Internal. Its sub-folders use the cloud folder and all the layers,
    /// and: Options every sub-folder, DefaultChain every sub-folder but Options, the shared Sts and Profiles no
    /// sub-folder, and any other sub-folder (a credential type) the shared ones only.
    /// </summary>
    internal static bool MayUse(string from, string to)
    {
        if (to == from || from == "DependencyInjection")
        {
            return true;
        }

        // Internal is the leaf (BCL only), so the root's public types may use it (CloudCredential formats its
        // expiration with the one UTC format); every other folder may use the root.
        if (from == "Internal" || from.Length == 0)
        {
            return from.Length == 0 && to == "Internal";
        }

        if (to.Length == 0)
        {
            return true;
        }

        if (Layers.TryGetValue(from, out string[]? lower))
        {
            return lower.Contains(to);
        }

        string[] parts = from.Split('/');
        if (parts.Length > 2 || !CloudFolders.Contains(parts[0]))
        {
            return false; // the root, and folders not in the map
        }

        string cloud = parts[0];
        if (parts.Length == 1)
        {
            return to == "Internal";
        }

        string[] target = to.Split('/');
        bool common = to == cloud || Layers.ContainsKey(to);
        bool sibling = target.Length == 2 && target[0] == cloud;
        return parts[1] switch
        {
            "Options" => common || sibling,
            "DefaultChain" => common || (sibling && target[1] != "Options"),
            string role when SharedCloudFolders.Contains(role) => common,
            _ => common || (sibling && SharedCloudFolders.Contains(target[1])),
        };
    }

    /// <summary>
    /// Compiles <paramref name="files"/> (paths relative to the library's folder) and returns each forbidden reference
    /// as "file -> folder (type)", and each file in a folder the map does not know.
    /// </summary>
    internal static IReadOnlyList<string> FindViolations(IEnumerable<(string Path, string Text)> files)
    {
        Dictionary<SyntaxTree, string> folderOf = files.ToDictionary(
            file => CSharpSyntaxTree.ParseText(file.Text, ParseOptions, file.Path),
            file => file.Path.Contains('/', StringComparison.Ordinal) ? file.Path[..file.Path.LastIndexOf('/')] : "");
        SyntaxTree implicitUsings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; "
            + "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;",
            ParseOptions, "ImplicitUsings.g.cs");
        CSharpCompilation compilation = CSharpCompilation.Create(
            "CloudCredentials.Extensions",
            [.. folderOf.Keys, implicitUsings],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        compilation = WithGeneratedParts(compilation, folderOf.Keys);
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Should()
            .BeEmpty("the check needs the symbols of a library that compiles");

        return folderOf.AsParallel()
            .SelectMany(file => ViolationsIn(compilation.GetSemanticModel(file.Key), file.Value, folderOf))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    private static IEnumerable<string> ViolationsIn(SemanticModel model, string folder, Dictionary<SyntaxTree, string> folderOf)
    {
        string file = model.SyntaxTree.FilePath;
        if (!IsMapped(folder))
        {
            yield return $"{file} -> {folder} (folder not in the module map)";
        }

        IEnumerable<SyntaxNode> references = model.SyntaxTree.GetRoot().DescendantNodes(descendIntoTrivia: true).Where(node =>
            node is NameSyntax or MemberAccessExpressionSyntax or BaseObjectCreationExpressionSyntax or AttributeSyntax or CrefSyntax);
        foreach (SyntaxNode reference in references)
        {
            SymbolInfo info = model.GetSymbolInfo(reference);
            IEnumerable<ISymbol?> symbols = [info.Symbol, .. info.CandidateSymbols];
            foreach (ITypeSymbol type in symbols.SelectMany(ReferencedTypes))
            {
                string[] declaredIn = type.DeclaringSyntaxReferences
                    .Select(declaration => folderOf.GetValueOrDefault(declaration.SyntaxTree))
                    .OfType<string>().Distinct().ToArray();
                if (declaredIn.Contains(folder))
                {
                    continue; // the folder's own type (a partial type counts wherever one of its parts is)
                }

                foreach (string target in declaredIn.Where(target => !MayUse(folder, target)))
                {
                    yield return $"{file} -> {target} ({type.ToDisplayString(TypeFormat)})";
                }
            }
        }
    }

    /// <summary>The types a symbol refers to: a type itself, a member's containing type, with array elements and generic arguments.</summary>
    private static IEnumerable<ITypeSymbol> ReferencedTypes(ISymbol? symbol) => symbol switch
    {
        IAliasSymbol alias => ReferencedTypes(alias.Target),
        ITypeSymbol type => Unwrap(type),
        IMethodSymbol method => Unwrap(method.ContainingType).Concat(method.TypeArguments.SelectMany(Unwrap)),
        IPropertySymbol or IFieldSymbol or IEventSymbol => Unwrap(symbol.ContainingType),
        _ => [], // namespaces, locals, parameters, labels
    };

    private static IEnumerable<ITypeSymbol> Unwrap(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol array => Unwrap(array.ElementType),
        IPointerTypeSymbol pointer => Unwrap(pointer.PointedAtType),
        INamedTypeSymbol named => named.TypeArguments.SelectMany(Unwrap).Prepend(named.OriginalDefinition),
        _ => [], // type parameters, dynamic
    };

    /// <summary>
    /// Stands in for the build's source generators (LoggerMessage, GeneratedRegex), which only implement partial
    /// members: each partial method or property without an implementation part gets one that throws.
    /// </summary>
    private static CSharpCompilation WithGeneratedParts(CSharpCompilation compilation, IEnumerable<SyntaxTree> trees)
    {
        var parts = new List<SyntaxTree>();
        foreach (SyntaxTree tree in trees)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (MemberDeclarationSyntax member in tree.GetRoot().DescendantNodes().OfType<MemberDeclarationSyntax>()
                .Where(member => member.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                string? implementation = (member, model.GetDeclaredSymbol(member)) switch
                {
                    (MethodDeclarationSyntax m, IMethodSymbol { IsPartialDefinition: true, PartialImplementationPart: null })
                        => $"{m.Modifiers} {m.ReturnType} {m.Identifier}{m.TypeParameterList}{m.ParameterList} {m.ConstraintClauses} => throw null!;",
                    (PropertyDeclarationSyntax p, IPropertySymbol { IsPartialDefinition: true, PartialImplementationPart: null })
                        => $"{p.Modifiers} {p.Type} {p.Identifier} {{ {string.Join(" ", p.AccessorList!.Accessors.Select(a => $"{a.Modifiers} {a.Keyword} => throw null!;"))} }}",
                    _ => null,
                };
                if (implementation is not null)
                {
                    parts.Add(CSharpSyntaxTree.ParseText(InDeclaringContext(member, implementation), ParseOptions, $"Generated{parts.Count}.g.cs"));
                }
            }
        }

        return compilation.AddSyntaxTrees(parts);
    }

    /// <summary>A member's source wrapped in its file's usings, its namespaces and partial declarations of its types.</summary>
    private static string InDeclaringContext(MemberDeclarationSyntax member, string source)
    {
        var text = new StringBuilder();
        foreach (UsingDirectiveSyntax directive in ((CompilationUnitSyntax)member.SyntaxTree.GetRoot()).Usings)
        {
            text.AppendLine(directive.ToString());
        }

        SyntaxNode[] scopes = member.Ancestors().Where(node => node is BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax).Reverse().ToArray();
        foreach (SyntaxNode scope in scopes)
        {
            text.AppendLine(scope switch
            {
                BaseNamespaceDeclarationSyntax ns => $"namespace {ns.Name} {{ {string.Join(" ", ns.Usings)}",
                RecordDeclarationSyntax record => $"partial record {record.ClassOrStructKeyword} {record.Identifier}{record.TypeParameterList} {{",
                TypeDeclarationSyntax type => $"partial {type.Keyword} {type.Identifier}{type.TypeParameterList} {{",
                _ => throw new InvalidOperationException(),
            });
        }

        return text.AppendLine(source).Append('}', scopes.Length).AppendLine().ToString();
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

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
