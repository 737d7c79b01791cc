using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>A host whose <c>CloudCredentials</c> section comes from memory, for start-up validation tests.</summary>
internal static class ConfiguredHost
{
    /// <summary>A <c>ram_role_arn</c> section signed with <paramref name="keyId"/>/<paramref name="secret"/>, plus <paramref name="extra"/> keys.</summary>
    public static Dictionary<string, string?> RamRole(string keyId, string secret, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Type"] = "ram_role_arn",
            ["AccessKeyId"] = keyId,
            ["AccessKeySecret"] = secret,
            ["RoleArn"] = "acs:ram::1:role/r",
        };
        foreach ((string key, string value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A builder without the host's defaults whose configuration is <paramref name="settings"/> (full keys).</summary>
    public static HostApplicationBuilder Create(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    /// <summary>A builder with <paramref name="settings"/> under <c>CloudCredentials</c> and <c>AddCloudCredentials</c> registered.</summary>
    public static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Create(settings.ToDictionary(kv => "CloudCredentials:" + kv.Key, kv => kv.Value));
        builder.Services.AddCloudCredentials(builder.Configuration);
        return builder;
    }

    /// <summary>Builds the host and expects its start to fail validation, with none of <paramref name="secrets"/> in the error.</summary>
    public static async Task<OptionsValidationException> StartFailsAsync(HostApplicationBuilder builder, params string[] secrets)
    {
        using IHost host = builder.Build();
        Func<Task> act = () => host.StartAsync();
        OptionsValidationException ex = (await act.Should().ThrowAsync<OptionsValidationException>()).Which;
        foreach (string secret in secrets)
        {
            ex.ToString().Should().NotContain(secret);
        }

        return ex;
    }
}
