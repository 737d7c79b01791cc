using System.Net;
using CloudCredentials.Emulator;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.EcsRamRole;

/// <summary>ECS RAM role through IHttpClientFactory, the resilience handler and the emulator's metadata service.</summary>
public sealed class ImdsEmulatorIntegrationTests
{
    [Fact]
    public async Task EcsRamRole_DiscoversRoleWithImdsV2_OneTokenForBothGets()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync(o => o.RequireImdsV2 = true);

        CloudCredential credential = await h.FetchAsync(h.EcsRamRole());

        credential.Type.Should().Be("ecs_ram_role");
        credential.ProviderName.Should().Be("ecs_ram_role");
        credential.RefreshBefore.Should().Be(TimeSpan.FromHours(1));
        credential.Expiration.Should().Be(h.Time.GetUtcNow() + TimeSpan.FromHours(1));
        h.Emulator.Stats.TokenPuts.Should().Be(1);
        h.Emulator.Stats.LastTokenTtlSeconds.Should().Be(21600);
        h.Emulator.Stats.RoleListGets.Should().Be(1);
        h.Emulator.Stats.MetadataGetsWithToken.Should().Be(2);
        h.Emulator.Stats.MetadataGetsWithoutToken.Should().Be(0);
    }

    [Fact]
    public async Task EcsRamRole_AppRunsForHours_OnePutPerTokenLifetime()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync(o => o.RequireImdsV2 = true);
        var provider = h.EcsRamRole("app-role");

        // A fetch every 50 minutes for 5 h 50 min: still within the first token's reuse window (6 h - 5 min).
        for (int i = 0; i < 8; i++)
        {
            await h.FetchAsync(provider);
            h.Time.Advance(TimeSpan.FromMinutes(50));
        }

        h.Emulator.Stats.TokenPuts.Should().Be(1);

        // 6 h 40 min after the first PUT: the emulator's token has expired; the client must not send it.
        await h.FetchAsync(provider);

        h.Emulator.Stats.TokenPuts.Should().Be(2);
        h.Emulator.Stats.MetadataTokenRejections.Should().Be(0, "the stale token is never sent");
        h.Emulator.Stats.MetadataGetsWithoutToken.Should().Be(0);
    }

    [Fact]
    public async Task EcsRamRole_TokenExpiresServerSideEarly_401RefetchesOnce()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync(o => o.RequireImdsV2 = true);
        var provider = h.EcsRamRole("app-role");
        await h.FetchAsync(provider);
        h.Emulator.InjectFault(EmulatorService.MetadataCredentials, EmulatorFault.Status(401, "token expired", "text/plain"), count: 1);

        await h.FetchAsync(provider);

        h.Emulator.Stats.TokenPuts.Should().Be(2);
        h.Emulator.Stats.MetadataGetsWithoutToken.Should().Be(0);
        await h.FetchAsync(provider);
        h.Emulator.Stats.TokenPuts.Should().Be(2, "the new token is cached");
    }

    [Fact]
    public async Task EcsRamRole_TokenisedGet401Twice_FallsBackToV1WhenAllowed()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.MetadataCredentials, EmulatorFault.Status(401, "no", "text/plain"), count: 2);

        await h.FetchAsync(h.EcsRamRole("app-role"));

        h.Emulator.Stats.TokenPuts.Should().Be(2);
        h.Emulator.Stats.MetadataGetsWithoutToken.Should().Be(1);
    }

    [Fact]
    public async Task EcsRamRole_TokenisedGet401TwiceV1Disabled_FailsWith401()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.MetadataCredentials, EmulatorFault.Status(401, "no", "text/plain"), count: 2);

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.EcsRamRole("app-role", disableV1: true));

        ex.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        ex.Message.Should().Contain("ecs_ram_role").And.Contain(h.Emulator.BaseAddress + "latest/meta-data/ram/security-credentials/app-role").And.Contain("IMDSv1 fallback is disabled");
        h.Emulator.Stats.MetadataGetsWithoutToken.Should().Be(0);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    public async Task EcsRamRole_TokenPutFailsV1Allowed_UsesV1(int status)
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.MetadataToken, EmulatorFault.Status(status, "nope", "text/plain"), count: 10);

        CloudCredential credential = await h.FetchAsync(h.EcsRamRole());

        credential.AccessKeyId.Should().StartWith("STS.");
        h.Emulator.Stats.MetadataGetsWithoutToken.Should().Be(2);
        h.Emulator.Stats.MetadataGetsWithToken.Should().Be(0);
        h.Emulator.Stats.TokenPuts.Should().Be(1, "a 4xx is not retried, and the failure is remembered for a minute");
        h.Logs.AllText().Should().Contain("falling back to IMDSv1");
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    public async Task EcsRamRole_TokenPutFailsV1Disabled_FailsNamingPut(int status)
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.MetadataToken, EmulatorFault.Status(status, "nope", "text/plain"), count: 10);

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.EcsRamRole(disableV1: true));

        ex.StatusCode.Should().Be((HttpStatusCode)status);
        ex.Endpoint.Should().Be(h.Emulator.BaseAddress + "latest/api/token");
        ex.Message.Should().Contain("PUT " + h.Emulator.BaseAddress + "latest/api/token").And.Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain("DisableIMDSv1");
        h.Emulator.Stats.MetadataGets.Should().Be(0);
    }

    [Fact]
    public async Task EcsRamRole_TokenPutTimesOutV1Allowed_UsesV1()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync(settings: EmulatorFixture.Short);
        h.Emulator.InjectFault(EmulatorService.MetadataToken, EmulatorFault.Delay(TimeSpan.FromSeconds(3)), count: 3);

        await h.FetchAsync(h.EcsRamRole("app-role"));

        h.Emulator.Stats.MetadataGetsWithoutToken.Should().Be(1);
        h.Logs.AllText().Should().Contain("per-attempt timeout");
    }

    [Fact]
    public async Task EcsRamRole_TokenPutTimesOutV1Disabled_FailsNamingTimeout()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync(settings: EmulatorFixture.Short);
        h.Emulator.InjectFault(EmulatorService.MetadataToken, EmulatorFault.Delay(TimeSpan.FromSeconds(3)), count: 3);

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.EcsRamRole("app-role", disableV1: true));

        ex.Message.Should().Contain("could not get an IMDSv2 session token").And.Contain("timeout").And.Contain("DisableIMDSv1");
        h.Emulator.Stats.MetadataGets.Should().Be(0);
    }

    [Fact]
    public async Task EcsRamRole_TokenPutFailed_RetriedAfterBackoffAndV2Resumes()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.MetadataToken, EmulatorFault.Status(503, "busy", "text/plain"), count: 3);
        var provider = h.EcsRamRole("app-role");

        await h.FetchAsync(provider);
        await h.FetchAsync(provider);
        h.Emulator.Stats.TokenPuts.Should().Be(3, "one PUT with two retries, then the failure is remembered");
        h.Emulator.Stats.MetadataGetsWithoutToken.Should().Be(2);

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.FetchAsync(provider);

        h.Emulator.Stats.TokenPuts.Should().Be(4);
        h.Emulator.Stats.MetadataGetsWithToken.Should().Be(1);
    }

    [Fact]
    public async Task EcsRamRole_V1WithRequireImdsV2_FailsWith403()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync(o => o.RequireImdsV2 = true);
        h.Emulator.InjectFault(EmulatorService.MetadataToken, EmulatorFault.Status(404, "nope", "text/plain"), count: 10);

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.EcsRamRole("app-role"));

        ex.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        ex.Message.Should().Contain("403");
    }

    [Fact]
    public async Task EcsRamRole_EmptyRoleList_FailsNoRoleAttached()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.MetadataRoleList, EmulatorFault.Status(200, "", "text/plain"));

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.EcsRamRole());

        ex.Message.Should().Contain("no RAM role is attached").And.Contain(h.Emulator.BaseAddress + "latest/meta-data/ram/security-credentials/");
    }

    [Fact]
    public async Task EcsRamRole_CodeNotSuccess_FailsWithCode()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.MetadataCredentials, EmulatorFault.Status(
            200,
            """{"Code":"Failed","AccessKeyId":"STS.x","AccessKeySecret":"FailedSecretValue","SecurityToken":"FailedTokenValue","Expiration":"2026-05-01T01:00:00Z"}"""));
        h.Secrets.AddRange(["FailedSecretValue", "FailedTokenValue"]);

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.EcsRamRole("app-role"));

        ex.ErrorCode.Should().Be("Failed");
        ex.Message.Should().Contain("Code Failed instead of Success");
    }

    [Fact]
    public async Task EcsRamRole_UnknownRole_Fails404()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.EcsRamRole("other-role"));

        ex.StatusCode.Should().Be(HttpStatusCode.NotFound);
        ex.Message.Should().Contain("'other-role' is not attached");
    }

    [Fact]
    public async Task EcsRamRole_Metadata503Once_Retried()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.MetadataCredentials, EmulatorFault.Status(503, "busy", "text/plain"), count: 1);

        await h.FetchAsync(h.EcsRamRole("app-role"));

        h.Emulator.Stats.MetadataCredentialsGets.Should().Be(2);
        h.Emulator.Stats.MetadataGetsWithoutToken.Should().Be(0);
    }

    [Fact]
    public async Task EcsRamRole_ConcurrentFetches_OnePut()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync(o => o.RequireImdsV2 = true);
        var provider = h.EcsRamRole("app-role");

        CloudCredential[] credentials = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => h.FetchAsync(provider)));

        credentials.Should().HaveCount(10);
        h.Emulator.Stats.TokenPuts.Should().Be(1);
    }
}
