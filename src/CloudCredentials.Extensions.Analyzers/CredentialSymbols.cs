using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CloudCredentials.Analyzers;

/// <summary>The library's types as seen by one compilation that references the library.</summary>
internal sealed class CredentialSymbols
{
    private readonly INamedTypeSymbol _credential;
    private readonly INamedTypeSymbol _source;
    private readonly INamedTypeSymbol?[] _wrappers;

    private CredentialSymbols(INamedTypeSymbol credential, INamedTypeSymbol source, INamedTypeSymbol?[] wrappers)
    {
        _credential = credential;
        _source = source;
        _wrappers = wrappers;
    }

    /// <summary>
    /// The symbols, or <see langword="null"/> when the compilation does not reference the library, or is the
    /// library itself (its cache is where credentials are meant to be kept).
    /// </summary>
    public static CredentialSymbols? TryCreate(Compilation compilation)
    {
        INamedTypeSymbol? credential = compilation.GetTypeByMetadataName("CloudCredentials.CloudCredential");
        INamedTypeSymbol? source = compilation.GetTypeByMetadataName("CloudCredentials.ICredentialSource");
        if (credential is null || source is null
            || SymbolEqualityComparer.Default.Equals(credential.ContainingAssembly, compilation.Assembly))
        {
            return null;
        }

        INamedTypeSymbol?[] wrappers =
        [
            compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1"),
            compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1"),
            compilation.GetTypeByMetadataName("System.Lazy`1"),
        ];
        return new CredentialSymbols(credential, source, wrappers);
    }

    /// <summary>
    /// Whether a value of this type keeps a credential: <c>CloudCredential</c> itself, or a
    /// <c>Task</c>, <c>ValueTask</c> or <c>Lazy</c> of one (all of them hand out the same instance forever).
    /// </summary>
    public bool HoldsCredential(ITypeSymbol type)
    {
        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _credential))
        {
            return true;
        }

        return type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
            && SymbolEqualityComparer.Default.Equals(generic.TypeArguments[0], _credential)
            && Array.Exists(_wrappers, w => SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, w));
    }

    /// <summary>Whether <paramref name="method"/> is <c>ICredentialSource.GetCredentialAsync</c> or an implementation of it.</summary>
    public bool IsGetCredential(IMethodSymbol method)
    {
        if (method.Name != "GetCredentialAsync")
        {
            return false;
        }

        INamedTypeSymbol type = method.ContainingType;
        return SymbolEqualityComparer.Default.Equals(type, _source)
            || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, _source));
    }
}
