using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.DependencyInjection;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>Disposal and reload lifetimes of registrations (regressions found in review).</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class RegistrationLifetimeTests : IDisposable
{
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task ServiceProvider_DisposedSynchronously_DoesNotThrow()
    {
        ServiceProvider services = new ServiceCollection()
            .AddCloudCredentials(o =>
            {
                o.Type = "access_key";
                o.AccessKeyId = "LTAIsync";
                o.AccessKeySecret = "sync-secret";
            })
            .BuildServiceProvider();
        (await services.GetRequiredService<ICredentialSource>().GetCredentialAsync()).AccessKeyId.Should().Be("LTAIsync");

        Action dispose = services.Dispose;

        dispose.Should().NotThrow();
    }

    [Fact]
    public async Task Reload_ChangedRefreshSettings_AppliedToTheCache()
    {
        IConfigurationRoot config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CloudCredentials:Type"] = "access_key",
            ["CloudCredentials:AccessKeyId"] = "LTAIrefresh",
            ["CloudCredentials:AccessKeySecret"] = "refresh-secret",
        }).Build();
        await using ServiceProvider services = new ServiceCollection().AddCloudCredentials(config).BuildServiceProvider();
        _ = await services.GetRequiredService<ICredentialSource>().GetCredentialAsync();
        CredentialRegistration registration = services.GetRequiredKeyedService<CredentialRegistration>(string.Empty);
        registration.Source.Options.FetchTimeout.Should().Be(TimeSpan.FromSeconds(75));

        config["CloudCredentials:Refresh:FetchTimeout"] = "00:00:20";
        config["CloudCredentials:Refresh:RefreshBefore"] = "00:05:00";
        config.Reload();

        registration.Source.Options.FetchTimeout.Should().Be(TimeSpan.FromSeconds(20));
        registration.Source.Options.RefreshBefore.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Reload_ManyTimes_KeepsAtMostTwoProviderGenerations()
    {
        IConfigurationRoot config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CloudCredentials:Type"] = "ram_role_arn",
            ["CloudCredentials:AccessKeyId"] = "LTAIreload",
            ["CloudCredentials:AccessKeySecret"] = "reload-secret",
            ["CloudCredentials:RoleArn"] = "acs:ram::1:role/r0",
            ["CloudCredentials:StsEndpoint"] = "http://127.0.0.1:9",
        }).Build();
        await using ServiceProvider services = new ServiceCollection().AddCloudCredentials(config).BuildServiceProvider();
        _ = services.GetRequiredService<ICredentialSource>();
        CredentialRegistration registration = services.GetRequiredKeyedService<CredentialRegistration>(string.Empty);

        for (int i = 1; i <= 20; i++)
        {
            config["CloudCredentials:RoleArn"] = $"acs:ram::1:role/r{i}";
            config.Reload();
        }

        registration.LiveProviderGenerations.Should().BeLessThanOrEqualTo(2);
        ((RamRoleArnProvider)registration.Source.Provider).Should().NotBeNull();
    }
}
