using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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

    /// <summary>A builder with <paramref name="settings"/> under <c>CloudCredentials</c> and <c>AddCloudCredentials</c> registered.</summary>
    public static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.ToDictionary(kv => "CloudCredentials:" + kv.Key, kv => kv.Value));
        builder.Services.AddCloudCredentials(builder.Configuration);
        return builder;
    }
}
