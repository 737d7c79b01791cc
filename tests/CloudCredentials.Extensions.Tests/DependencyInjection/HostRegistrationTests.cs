using CloudCredentials.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>
/// AddCloudCredentials in a real generic host: appsettings.json, the default and named (keyed) registrations,
/// the IConfigurationSection and Action overloads, and the one shared refresh service.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class HostRegistrationTests : IDisposable
{
    private const string DefaultSecret = "host-default-secret-7Qx2";
    private const string BillingSecret = "host-billing-secret-9Kp4";
    private const string BillingToken = "host-billing-token-3Hd8";

    private readonly EnvironmentScope _env = new();
    private readonly SessionTempDirectory _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        _env.Dispose();
    }

    [Fact]
    public async Task AddCloudCredentials_AppSettingsJson_InjectedSourceReturnsConfiguredCredential()
    {
        HostApplicationBuilder builder = CreateBuilder();
        builder.Services.AddCloudCredentials(builder.Configuration);
        builder.Services.AddSingleton<StorageService>();
        using IHost host = builder.Build();
        await host.StartAsync();

        CloudCredential credential = await host.Services.GetRequiredService<StorageService>().Credentials.GetCredentialAsync();

        credential.AccessKeyId.Should().Be("LTAIdefault");
        credential.AccessKeySecret.Should().Be(DefaultSecret);
        credential.Type.Should().Be("access_key");
        credential.ProviderName.Should().Be("static_ak");
        await host.StopAsync();
    }

    [Fact]
    public async Task AddCloudCredentials_NamedRegistration_ResolvesThroughFromKeyedServicesAndKeyedLookup()
    {
        HostApplicationBuilder builder = CreateBuilder();
        builder.Services.AddCloudCredentials(builder.Configuration);
        builder.Services.AddCloudCredentials("billing", builder.Configuration);
        builder.Services.AddSingleton<BillingService>();
        builder.Services.AddSingleton<StorageService>();
        using IHost host = builder.Build();
        await host.StartAsync();

        ICredentialSource injected = host.Services.GetRequiredService<BillingService>().Credentials;
        ICredentialSource keyed = host.Services.GetRequiredKeyedService<ICredentialSource>("billing");
        CloudCredential billing = await injected.GetCredentialAsync();
        CloudCredential fromDefault = await host.Services.GetRequiredService<StorageService>().Credentials.GetCredentialAsync();

        keyed.Should().BeSameAs(injected);
        host.Services.GetRequiredService<ICredentialSource>().Should().NotBeSameAs(injected);
        billing.Type.Should().Be("sts");
        billing.ProviderName.Should().Be("static_sts");
        billing.AccessKeyId.Should().Be("STS.billing");
        billing.AccessKeySecret.Should().Be(BillingSecret);
        billing.SecurityToken.Should().Be(BillingToken);
        (await keyed.GetCredentialAsync()).Should().BeSameAs(billing, "the keyed source is the same cache");
        fromDefault.AccessKeyId.Should().Be("LTAIdefault", "the named section does not leak into the default registration");
        await host.StopAsync();
    }

    [Fact]
    public async Task AddCloudCredentials_ConfigurationSection_IsBoundAsIs()
    {
        HostApplicationBuilder builder = CreateBuilder();
        builder.Services.AddCloudCredentials(builder.Configuration.GetSection("Other:Credentials"));
        builder.Services.AddCloudCredentials("audit", builder.Configuration.GetSection("Other:Audit"));
        using IHost host = builder.Build();
        await host.StartAsync();

        CloudCredential bearer = await host.Services.GetRequiredService<ICredentialSource>().GetCredentialAsync();
        CloudCredential audit = await host.Services.GetRequiredKeyedService<ICredentialSource>("audit").GetCredentialAsync();

        bearer.Type.Should().Be("bearer");
        bearer.ProviderName.Should().Be("bearer");
        bearer.BearerToken.Should().Be("section-bearer-token");
        audit.AccessKeyId.Should().Be("LTAIaudit", "a section is bound as is, not its CloudCredentials:audit child");
        await host.StopAsync();
    }

    [Fact]
    public async Task AddCloudCredentials_ActionOverloads_ConfigureInCode()
    {
        HostApplicationBuilder builder = CreateBuilder();
        builder.Services.AddCloudCredentials(o =>
        {
            o.Type = "access_key";
            o.AccessKeyId = "LTAIcode";
            o.AccessKeySecret = DefaultSecret;
        });
        builder.Services.AddCloudCredentials("billing", o =>
        {
            o.Type = "sts";
            o.AccessKeyId = "STS.code";
            o.AccessKeySecret = BillingSecret;
            o.SecurityToken = BillingToken;
        });
        builder.Services.AddSingleton<BillingService>();
        using IHost host = builder.Build();
        await host.StartAsync();

        CloudCredential byDefault = await host.Services.GetRequiredService<ICredentialSource>().GetCredentialAsync();
        CloudCredential billing = await host.Services.GetRequiredService<BillingService>().Credentials.GetCredentialAsync();

        byDefault.AccessKeyId.Should().Be("LTAIcode");
        byDefault.ProviderName.Should().Be("static_ak");
        billing.AccessKeyId.Should().Be("STS.code");
        billing.ProviderName.Should().Be("static_sts");
        await host.StopAsync();
    }

    [Fact]
    public async Task AddCloudCredentials_ActionAfterConfiguration_OverridesBoundValue()
    {
        HostApplicationBuilder builder = CreateBuilder();
        builder.Services.AddCloudCredentials(builder.Configuration);
        builder.Services.AddCloudCredentials(o => o.AccessKeyId = "LTAIoverride");
        using IHost host = builder.Build();
        await host.StartAsync();

        CloudCredential credential = await host.Services.GetRequiredService<ICredentialSource>().GetCredentialAsync();

        credential.AccessKeyId.Should().Be("LTAIoverride");
        credential.AccessKeySecret.Should().Be(DefaultSecret, "the two calls compose into one registration");
        await host.StopAsync();
    }

    [Fact]
    public async Task AddCloudCredentials_DefaultAndNamed_RegisterExactlyOneRefreshService()
    {
        HostApplicationBuilder builder = CreateBuilder();
        builder.Services.AddCloudCredentials(builder.Configuration);
        builder.Services.AddCloudCredentials("billing", builder.Configuration);
        builder.Services.AddCloudCredentials("code", o => o.Type = "bearer");
        builder.Services.AddCloudCredentials("code", o => o.BearerToken = "code-bearer");

        builder.Services.Count(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(CredentialRefreshService))
            .Should().Be(1);
        using IHost host = builder.Build();
        host.Services.GetServices<IHostedService>().OfType<CredentialRefreshService>().Should().ContainSingle();
        await host.StartAsync();

        CredentialCacheRegistry registry = host.Services.GetRequiredService<CredentialCacheRegistry>();
        registry.Caches.Select(c => c.RegistrationName).Should().BeEquivalentTo(["(default)", "billing", "code"], "one cache per registration name, all kept warm by the one service");
        (await host.Services.GetRequiredKeyedService<ICredentialSource>("code").GetCredentialAsync()).BearerToken.Should().Be("code-bearer");
        await host.StopAsync();
    }

    private HostApplicationBuilder CreateBuilder()
    {
        string path = _dir.Write("appsettings.json", $$"""
            {
              "CloudCredentials": {
                "Type": "access_key",
                "AccessKeyId": "LTAIdefault",
                "AccessKeySecret": "{{DefaultSecret}}",
                "billing": {
                  "Type": "sts",
                  "AccessKeyId": "STS.billing",
                  "AccessKeySecret": "{{BillingSecret}}",
                  "SecurityToken": "{{BillingToken}}"
                },
                "audit": { "Type": "access_key", "AccessKeyId": "LTAIwrong", "AccessKeySecret": "audit-secret" }
              },
              "Other": {
                "Credentials": { "Type": "bearer", "BearerToken": "section-bearer-token" },
                "Audit": {
                  "Type": "access_key", "AccessKeyId": "LTAIaudit", "AccessKeySecret": "audit-secret"
                }
              }
            }
            """);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddJsonFile(path);
        return builder;
    }
}
