using System.Collections.Immutable;
using CloudCredentials.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace CloudCredentials.Analyzers.Tests;

/// <summary>
/// Runs <see cref="CredentialCaptureAnalyzer"/> on a snippet, offline: the test compilation references the
/// assemblies this test process runs on (the .NET 10 runtime, the real CloudCredentials.Extensions and its
/// dependencies) instead of reference packs the testing library would download.
/// </summary>
internal static class AnalyzerVerifier
{
    private static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    public static DiagnosticResult Diagnostic() => new(CredentialCaptureAnalyzer.Rule);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<CredentialCaptureAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(References);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        _ = typeof(CloudCredential); // make sure the library is loaded and listed
        string paths = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")
            ?? throw new InvalidOperationException("TRUSTED_PLATFORM_ASSEMBLIES is not set.");
        return
        [
            .. paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                .Where(p => !Path.GetFileName(p).StartsWith("CloudCredentials.Extensions.Analyzers", StringComparison.Ordinal))
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)),
        ];
    }
}
