using System.Text.Json.Nodes;
using CloudCredentials.DependencyInjection;
using CloudCredentials.Tests.Samples;
using Json.Schema;
using Microsoft.Extensions.Configuration;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>
/// schemas/cloudcredentials.schema.json (shipped in the package): generated from the options and their XML docs,
/// it lists exactly the keys the binder accepts, and the samples' appsettings files are valid against it.
/// After changing an option or its summary: <c>UPDATE_SCHEMA=1 dotnet test tests/CloudCredentials.Extensions.Tests --filter ConfigurationSchemaTests</c>.
/// </summary>
public sealed class ConfigurationSchemaTests
{
    private static readonly string SchemaPath = Path.Combine(RepositoryRoot(), ConfigurationSchema.RelativePath);

    [Fact]
    public void The_committed_schema_is_the_one_generated_from_the_options_and_their_xml_docs()
    {
        string generated = ConfigurationSchema.Generate();
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMA") == "1")
        {
            File.WriteAllText(SchemaPath, generated);
        }

        string committed = File.Exists(SchemaPath) ? File.ReadAllText(SchemaPath).ReplaceLineEndings("\n") : string.Empty;
        committed.Should().Be(generated,
            $"{ConfigurationSchema.RelativePath} must match the options and their XML docs; regenerate it with "
            + "UPDATE_SCHEMA=1 dotnet test tests/CloudCredentials.Extensions.Tests --filter ConfigurationSchemaTests");
    }

    [Fact]
    public void The_schema_lists_exactly_the_keys_the_binder_accepts()
    {
        JsonNode schema = JsonNode.Parse(File.ReadAllText(SchemaPath))!;
        JsonNode definitions = schema["definitions"]!;

        definitions["registration"]!["properties"]!.AsObject().Select(p => p.Key).Should()
            .Equal(ConfigurationSchema.Keys(typeof(CloudCredentialsOptions)).Select(p => p.Name));
        definitions["section"]!["properties"]!.AsObject().Select(p => p.Key).Should()
            .Equal(ConfigurationSchema.Keys(typeof(CloudCredentialsOptions)).Select(p => p.Name));
        definitions["refresh"]!["properties"]!.AsObject().Select(p => p.Key).Should()
            .Equal(ConfigurationSchema.Keys(typeof(CredentialRefreshOptions)).Select(p => p.Name));
    }

    [Fact]
    public void Every_key_of_the_schema_binds_without_an_error_and_an_unknown_key_is_refused_by_both()
    {
        var values = new Dictionary<string, string?>();
        foreach (var property in ConfigurationSchema.Keys(typeof(CloudCredentialsOptions)))
        {
            AddSampleValue(values, "CloudCredentials:" + property.Name, property.PropertyType);
        }

        foreach (var property in ConfigurationSchema.Keys(typeof(CredentialRefreshOptions)))
        {
            AddSampleValue(values, "CloudCredentials:Refresh:" + property.Name, property.PropertyType);
        }

        Bind(values).Should().BeEmpty();

        values["CloudCredentials:AccesKeyId"] = "typo";
        Bind(values).Should().ContainSingle().Which.Should().Contain("unknown key 'AccesKeyId'");
        Validate("""{ "CloudCredentials": { "Refresh": { "RefreshBefor": "00:01:00" } } }""").IsValid.Should().BeFalse();
    }

    [Fact]
    public void The_samples_appsettings_files_are_valid_against_the_schema()
    {
        string[] files = Directory.GetFiles(Path.Combine(RepositoryRoot(), "samples"), "appsettings*.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToArray();
        files.Should().NotBeEmpty();
        files.Should().Contain(f => File.ReadAllText(f).Contains("\"CloudCredentials\"", StringComparison.Ordinal), "at least one sample configures the section");

        foreach (string file in files)
        {
            EvaluationResults result = Validate(File.ReadAllText(file));
            result.IsValid.Should().BeTrue($"{file} must follow the schema: {Errors(result)}");
        }
    }

    [Fact]
    public void The_schema_catches_wrong_shapes_and_accepts_named_registrations()
    {
        Validate("""
            { "CloudCredentials": { "Type": "access_key", "Timeout": 5000, "EnableVpc": "true", "AllowedHttpHosts": [ "creds.internal" ],
              "Refresh": { "RefreshBefore": "00:05:00", "WarmUpOnStart": true },
              "billing": { "Type": "ram_role_arn", "RoleArn": "acs:ram::1:role/x", "RoleSessionExpiration": "3600" } } }
            """).IsValid.Should().BeTrue();

        Validate("""{ "CloudCredentials": { "Timeout": "five seconds" } }""").IsValid.Should().BeFalse();
        Validate("""{ "CloudCredentials": { "Refresh": { "RefreshBefore": "soon" } } }""").IsValid.Should().BeFalse();
        Validate("""{ "CloudCredentials": { "AllowedHttpHosts": "creds.internal" } }""").IsValid.Should().BeFalse();
        Validate("""{ "CloudCredentials": { "billing": { "RoleArm": "typo" } } }""").IsValid.Should().BeFalse();
    }

    private static EvaluationResults Validate(string json)
    {
        JsonSchema schema = JsonSchema.FromText(File.ReadAllText(SchemaPath));
        return schema.Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Errors(EvaluationResults result) =>
        string.Join("; ", result.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    private static List<string> Bind(Dictionary<string, string?> values)
    {
        IConfigurationSection section = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(CloudCredentialsOptions.SectionName);
        var options = new CloudCredentialsOptions();
        new BindCloudCredentialsOptions(string.Empty, section, null, new RegistrationNames()).Configure(options);
        return options.BindingErrors;
    }

    private static void AddSampleValue(Dictionary<string, string?> values, string key, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(CredentialRefreshOptions))
        {
            return; // its keys are added one by one
        }

        if (type == typeof(IList<string>))
        {
            values[key + ":0"] = "creds.internal";
            return;
        }

        values[key] = type == typeof(int) ? "1000" : type == typeof(bool) ? "true" : type == typeof(TimeSpan) ? "00:01:00" : "value";
    }

    // samples/QuickStart -> the repository root.
    private static string RepositoryRoot() => Directory.GetParent(SamplePaths.QuickStart)!.Parent!.FullName;
}
