using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>
/// Generates schemas/cloudcredentials.schema.json from the options types the binder binds (the same public
/// properties <c>BindCloudCredentialsOptions</c> accepts), their XML doc summaries and the defaults of a new
/// instance. <see cref="ConfigurationSchemaTests"/> compares it with the committed file; <c>UPDATE_SCHEMA=1</c>
/// rewrites the file.
/// </summary>
internal static partial class ConfigurationSchema
{
    public const string RelativePath = "schemas/cloudcredentials.schema.json";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The public properties of an options type, in declaration order: the keys the binder accepts.</summary>
    public static IEnumerable<PropertyInfo> Keys(Type optionsType) =>
        optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken);

    public static string Generate()
    {
        XDocument docs = XDocument.Load(Path.ChangeExtension(typeof(CloudCredentialsOptions).Assembly.Location, ".xml"));
        var registration = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "One credential registration.",
            ["properties"] = KeyReferences(typeof(CloudCredentialsOptions)),
            ["additionalProperties"] = false,
        };
        var section = new JsonObject
        {
            ["type"] = "object",
            ["description"] = Summary(docs, "T:" + typeof(CloudCredentialsOptions).FullName)
                + " Any other key holding an object is a named registration (AddCloudCredentials(configuration, name)) with the same keys.",
            ["properties"] = KeyReferences(typeof(CloudCredentialsOptions)),
            ["additionalProperties"] = new JsonObject { ["$ref"] = "#/definitions/registration" },
        };
        var refresh = new JsonObject
        {
            ["type"] = "object",
            ["description"] = Summary(docs, "T:" + typeof(CredentialRefreshOptions).FullName),
            ["properties"] = KeyDefinitions(docs, typeof(CredentialRefreshOptions), new CredentialRefreshOptions()),
            ["additionalProperties"] = false,
        };
        var definitions = new JsonObject { ["section"] = section, ["registration"] = registration, ["refresh"] = refresh };
        foreach ((string key, JsonNode? definition) in KeyDefinitions(docs, typeof(CloudCredentialsOptions), new CloudCredentialsOptions()).ToList())
        {
            definitions["key." + key] = definition!.DeepClone();
        }

        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["$id"] = "https://github.com/example/CloudCredentials.Extensions/schemas/cloudcredentials.schema.json",
            ["title"] = "CloudCredentials.Extensions configuration (appsettings.json)",
            ["description"] = "Generated from the options types and their XML docs by ConfigurationSchemaTests; regenerate with UPDATE_SCHEMA=1, do not edit.",
            ["type"] = "object",
            ["properties"] = new JsonObject { [CloudCredentialsOptions.SectionName] = new JsonObject { ["$ref"] = "#/definitions/section" } },
            ["definitions"] = definitions,
        };
        return schema.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    private static JsonObject KeyReferences(Type optionsType) =>
        new(Keys(optionsType).Select(p => KeyValuePair.Create<string, JsonNode?>(p.Name, new JsonObject { ["$ref"] = "#/definitions/key." + p.Name })));

    private static JsonObject KeyDefinitions(XDocument docs, Type optionsType, object defaults)
    {
        var result = new JsonObject();
        foreach (PropertyInfo property in Keys(optionsType))
        {
            JsonObject definition = TypeOf(property.PropertyType);
            string member = "P:" + optionsType.FullName + "." + property.Name;
            string value = Text(docs, member, "value");
            definition["description"] = Summary(docs, member) + (value.Length > 0 ? " " + value : string.Empty);
            if (DefaultOf(property.GetValue(defaults)) is { } @default)
            {
                definition["default"] = @default;
            }

            if (property.Name == nameof(CloudCredentialsOptions.Type))
            {
                definition["examples"] = new JsonArray([.. TypeNames().Select(n => (JsonNode)n)]);
            }

            result[property.Name] = definition;
        }

        return result;
    }

    private static JsonObject TypeOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(int))
        {
            return new JsonObject { ["type"] = new JsonArray("integer", "string"), ["pattern"] = "^-?[0-9]+$" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = new JsonArray("boolean", "string"), ["pattern"] = "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$" };
        }

        if (type == typeof(TimeSpan))
        {
            return new JsonObject { ["type"] = "string", ["pattern"] = @"^-?([0-9]+|([0-9]+\.)?[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\.[0-9]{1,7})?)?)$" };
        }

        if (type == typeof(IList<string>))
        {
            return new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } };
        }

        if (type == typeof(CredentialRefreshOptions))
        {
            return new JsonObject { ["$ref"] = "#/definitions/refresh" };
        }

        throw new NotSupportedException($"ConfigurationSchema has no JSON schema type for {type}: add it to TypeOf.");
    }

    private static JsonNode? DefaultOf(object? value) => value switch
    {
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        bool b => b,
        int i => i,
        string s => s,
        _ => null, // null (documented in the description) and sections/lists (empty)
    };

    // The names the Type key documents: CredentialTypes minus the rejected rsa_key_pair, plus "default".
    private static IEnumerable<string> TypeNames() =>
        typeof(CredentialTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(CredentialTypes.RsaKeyPair))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Append("default");

    private static string Summary(XDocument docs, string member)
    {
        string summary = Text(docs, member, "summary");
        if (summary.Length == 0)
        {
            throw new InvalidOperationException($"{member} has no XML doc summary.");
        }

        Match prefix = AccessorPrefix().Match(summary);
        return prefix.Success ? char.ToUpperInvariant(summary[prefix.Length]) + summary[(prefix.Length + 1)..] : summary;
    }

    private static string Text(XDocument docs, string member, string element)
    {
        XElement? node = docs.Descendants("member").FirstOrDefault(m => (string?)m.Attribute("name") == member)?.Element(element);
        if (node is null)
        {
            return string.Empty;
        }

        string text = string.Concat(node.Nodes().Select(PlainText));
        return Whitespace().Replace(text, " ").Trim();
    }

    private static string PlainText(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("langword") is { } word => word.Value,
        XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("cref") is { } cref => CrefName(cref.Value),
        XElement element => string.Concat(element.Nodes().Select(PlainText)),
        _ => string.Empty,
    };

    // T:System.TimeSpan -> TimeSpan; F:System.TimeSpan.Zero -> TimeSpan.Zero; an options property -> its key.
    private static string CrefName(string cref)
    {
        string[] parts = cref[2..].Split('(')[0].Split('.');
        bool optionsKey = cref.StartsWith("P:CloudCredentials.", StringComparison.Ordinal) && cref.Contains("Options.", StringComparison.Ordinal);
        return cref.StartsWith("T:", StringComparison.Ordinal) || optionsKey ? parts[^1] : parts[^2] + "." + parts[^1];
    }

    [GeneratedRegex(@"^Gets(?: or sets)? ", RegexOptions.CultureInvariant)]
    private static partial Regex AccessorPrefix();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
