using System.Reflection;
using System.Text;

namespace CloudCredentials.Tests;

/// <summary>
/// The public surface is tracked in PublicAPI.txt, so every API change is a visible, reviewed diff.
/// To accept a change, copy the ".received" file the failing test writes over PublicAPI.txt.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesApprovedFile()
    {
        string actual = Describe(typeof(CloudCredential).Assembly);
        string approvedPath = Path.Combine(AppContext.BaseDirectory, "PublicAPI.txt");
        string approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");

        if (!string.Equals(actual, approved, StringComparison.Ordinal))
        {
            string received = Path.Combine(AppContext.BaseDirectory, "PublicAPI.received.txt");
            File.WriteAllText(received, actual);
            var added = actual.Split('\n').Except(approved.Split('\n'));
            var removed = approved.Split('\n').Except(actual.Split('\n'));
            Assert.Fail($"The public API changed. Added:\n  {string.Join("\n  ", added)}\nRemoved:\n  {string.Join("\n  ", removed)}\nReview, then copy {received} to tests/CloudCredentials.Extensions.Tests/PublicAPI.txt.");
        }
    }

    private static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (Type type in assembly.GetExportedTypes())
        {
            lines.Add($"{Kind(type)} {type.FullName}{BaseList(type)}");
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (MemberInfo member in type.GetMembers(flags))
            {
                string? text = member switch
                {
                    ConstructorInfo c => $"  ctor({Parameters(c.GetParameters())})",
                    MethodInfo m when !m.IsSpecialName => $"  {(m.IsStatic ? "static " : string.Empty)}{Name(m.ReturnType)} {m.Name}({Parameters(m.GetParameters())})",
                    PropertyInfo p => $"  {Name(p.PropertyType)} {p.Name} {{{(p.GetMethod?.IsPublic == true ? " get;" : string.Empty)}{(p.SetMethod?.IsPublic == true ? (IsInit(p) ? " init;" : " set;") : string.Empty)} }}",
                    FieldInfo f => $"  {(f.IsLiteral ? "const " : f.IsStatic ? "static " : string.Empty)}{Name(f.FieldType)} {f.Name}",
                    EventInfo e => $"  event {Name(e.EventHandlerType!)} {e.Name}",
                    _ => null,
                };
                if (text is not null)
                {
                    lines.Add($"{type.FullName}:{text}");
                }
            }
        }

        lines.Sort(StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (string line in lines)
        {
            sb.Append(line).Append('\n');
        }

        return sb.ToString();
    }

    private static bool IsInit(PropertyInfo p)
        => p.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private static string Kind(Type t) => t.IsInterface ? "interface" : t.IsEnum ? "enum" : t.IsValueType ? "struct"
        : t.IsAbstract && t.IsSealed ? "static class" : t.IsSealed ? "sealed class" : "class";

    private static string BaseList(Type t)
    {
        var bases = new List<string>();
        if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
        {
            bases.Add(Name(b));
        }

        bases.AddRange(t.GetInterfaces().Select(Name).Order(StringComparer.Ordinal));
        return bases.Count == 0 ? string.Empty : " : " + string.Join(", ", bases);
    }

    private static string Parameters(ParameterInfo[] ps) => string.Join(", ", ps.Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : string.Empty)}"));

    private static string Name(Type t)
    {
        if (t.IsGenericType)
        {
            string name = t.Name[..t.Name.IndexOf('`', StringComparison.Ordinal)];
            return $"{t.Namespace}.{name}<{string.Join(", ", t.GetGenericArguments().Select(Name))}>";
        }

        return t.IsGenericParameter ? t.Name : t.FullName ?? t.Name;
    }
}
