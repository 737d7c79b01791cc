using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CloudCredentials.Analyzers;

/// <summary>
/// CC0001: a <c>CloudCredentials.CloudCredential</c> kept in a field, a static or an auto-property of a class, or
/// the result of <c>ICredentialSource.GetCredentialAsync</c> captured in a constructor. Session credentials
/// rotate; a kept copy fails hours later. Ask <c>ICredentialSource</c> on every use instead.
/// </summary>
/// <remarks>
/// Not reported: locals and parameters (they live for one use), records and structs (short-lived data carriers
/// passed along with one use), computed properties, lambdas in a constructor (they ask again on each call), and
/// the assembly that defines <c>CloudCredential</c> (its cache is the one place that keeps credentials).
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CredentialCaptureAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic id.</summary>
    public const string DiagnosticId = "CC0001";

    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticId,
        title: "Do not keep a CloudCredential; ask ICredentialSource on every use",
        messageFormat: "'{0}' keeps a CloudCredential (or a part of one): session credentials rotate, so ask ICredentialSource.GetCredentialAsync() on every use instead",
        category: "Reliability",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A credential stored once (in a field, a static, an auto-property, or from a constructor) is still used after it expires: "
            + "requests then fail with 'The security token included in the request is expired'. A cached GetCredentialAsync() call takes "
            + "no lock and allocates nothing, so there is no reason to keep one.",
        helpLinkUri: "https://github.com/example/CloudCredentials.Extensions#why-ask-on-every-use");

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            CredentialSymbols? symbols = CredentialSymbols.TryCreate(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            start.RegisterSymbolAction(c => AnalyzeMember(c, symbols), SymbolKind.Field, SymbolKind.Property);
            start.RegisterOperationAction(c => AnalyzeAssignment(c, symbols), OperationKind.SimpleAssignment);
        });
    }

    private static void AnalyzeMember(SymbolAnalysisContext context, CredentialSymbols symbols)
    {
        ISymbol member = context.Symbol;
        if (member.IsImplicitlyDeclared || !IsCheckedType(member.ContainingType) || !symbols.HoldsCredential(MemberType(member)))
        {
            return;
        }

        // A property keeps a value only when the compiler gives it a backing field (auto-property, `field`).
        if (member is IPropertySymbol property && !HasBackingField(property))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, member.Locations[0], member.Name));
    }

    private static bool HasBackingField(IPropertySymbol property) =>
        property.ContainingType.GetMembers().Any(m => m is IFieldSymbol { IsImplicitlyDeclared: true } field
            && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property));

    private static void AnalyzeAssignment(OperationAnalysisContext context, CredentialSymbols symbols)
    {
        if (context.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor
            || !IsCheckedType(constructor.ContainingType))
        {
            return;
        }

        var assignment = (ISimpleAssignmentOperation)context.Operation;
        ISymbol? member = assignment.Target switch
        {
            IFieldReferenceOperation f => f.Field,
            IPropertyReferenceOperation p => p.Property,
            _ => null,
        };

        // A member whose type holds a credential is already reported at its declaration.
        if (member is null || symbols.HoldsCredential(MemberType(member)) || !CallsGetCredential(assignment.Value, symbols))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, assignment.Syntax.GetLocation(), member.Name));
    }

    private static bool CallsGetCredential(IOperation value, CredentialSymbols symbols)
    {
        if (value is IInvocationOperation invocation && symbols.IsGetCredential(invocation.TargetMethod))
        {
            return true;
        }

        foreach (IOperation child in value.ChildOperations)
        {
            // A lambda or local function asks again each time it runs: that is the right pattern.
            if (child is IAnonymousFunctionOperation or ILocalFunctionOperation or IDelegateCreationOperation)
            {
                continue;
            }

            if (CallsGetCredential(child, symbols))
            {
                return true;
            }
        }

        return false;
    }

    private static ITypeSymbol MemberType(ISymbol member) => member switch
    {
        IFieldSymbol f => f.Type,
        IPropertySymbol p => p.Type,
        _ => throw new ArgumentOutOfRangeException(nameof(member)),
    };

    // Classes only: records and structs are data carriers that travel with one use, like a parameter.
    private static bool IsCheckedType(INamedTypeSymbol? type) =>
        type is { TypeKind: TypeKind.Class, IsRecord: false };
}
