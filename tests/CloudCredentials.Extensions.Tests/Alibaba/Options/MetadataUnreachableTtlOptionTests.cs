using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.Options;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudCredentials.Tests.Alibaba.Options;

/// <summary>The MetadataUnreachableTtl option (issue 9 item 7): bound from configuration, checked at start, given to the default chain's ECS member only.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class MetadataUnreachableTtlOptionTests : IDisposable
{
    private readonly EnvironmentScope _env = new();

    public MetadataUnreachableTtlOptionTests() => _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null);

    public void Dispose() => _env.Dispose();

    [Fact]
    public void Negative_IsRefusedNamingTheKey()
    {
        var errors = new List<string>();

        AlibabaOptionsMapper.Map(new CloudCredentialsOptions { MetadataUnreachableTtl = TimeSpan.FromSeconds(-1) }, "CloudCredentials", errors);

        errors.Should().ContainSingle().Which.Should().StartWith("CloudCredentials:MetadataUnreachableTtl must not be negative");
    }

    [Fact]
    public void Configuration_IsBoundAndGivenToTheDefaultChainsEcsMemberOnly()
    {
        IConfiguration config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CloudCredentials:MetadataUnreachableTtl"] = "00:00:30" })
            .Build();
        using ServiceProvider services = new ServiceCollection().AddCloudCredentials(config).BuildServiceProvider();
        CloudCredentialsOptions options = services.GetRequiredService<IOptionsMonitor<CloudCredentialsOptions>>().CurrentValue;

        options.MetadataUnreachableTtl.Should().Be(TimeSpan.FromSeconds(30));
        DefaultChainSpec.Resolve(options).Members.OfType<EcsRamRoleSpec>().Should().ContainSingle()
            .Which.UnreachableTtl.Should().Be(TimeSpan.FromSeconds(30));
        options.Type = "ecs_ram_role";
        AlibabaOptionsMapper.Resolve(options, "CloudCredentials").Should().BeOfType<EcsRamRoleSpec>()
            .Which.UnreachableTtl.Should().BeNull("an explicit ecs_ram_role keeps its normal retries");
    }

    [Fact]
    public void Default_IsSixtySeconds() => new CloudCredentialsOptions().MetadataUnreachableTtl.Should().Be(TimeSpan.FromSeconds(60));
}
