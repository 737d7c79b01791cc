using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.EcsRamRole;

public sealed class EcsRamRoleProviderTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:5996/");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();

    [Fact]
    public async Task EcsRamRole_NoRoleName_DiscoversRoleAndSetsRefreshBefore()
    {
        var imds = new FakeImds(_time);
        var provider = new EcsRamRoleProvider(
            new EcsRamRoleSpec(null, false, Endpoint),
            () => new EcsMetadataClient(new HttpClient(imds), new ImdsTokenCache(), _time, _logger));

        CloudCredential credential = await provider.FetchAsync(CancellationToken.None);

        provider.ProviderName.Should().Be("ecs_ram_role");
        credential.Type.Should().Be("ecs_ram_role");
        credential.ProviderName.Should().Be("ecs_ram_role");
        credential.RefreshBefore.Should().Be(TimeSpan.FromHours(1));
        imds.Log.Should().Contain("GET /latest/meta-data/ram/security-credentials/").And.Contain("GET /latest/meta-data/ram/security-credentials/app-role");
    }

    [Fact]
    public async Task EcsRamRole_RoleName_SkipsDiscovery()
    {
        var imds = new FakeImds(_time);
        var provider = new EcsRamRoleProvider(
            new EcsRamRoleSpec(" app-role ", true, Endpoint),
            () => new EcsMetadataClient(new HttpClient(imds), new ImdsTokenCache(), _time, _logger));

        await provider.FetchAsync(CancellationToken.None);

        imds.Log.Should().Equal("PUT /latest/api/token", "GET /latest/meta-data/ram/security-credentials/app-role");
    }

}
