using CloudCredentials.Caching;
using CloudCredentials.Emulator;
using CloudCredentials.Tests.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// Every remote Type through AddCloudCredentials against the in-process emulator, with the options pointing at
/// it: ram_role_arn, oidc_role_arn, ecs_ram_role and credentials_uri, with the Type and ProviderName of spec §0.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class RemoteTypesEndToEndTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly EnvironmentScope _env = new();
    private readonly SessionTempDirectory _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        _env.Dispose();
    }

    [Fact]
    public async Task RamRoleArn_ThroughDi_EmulatorAcceptsSignatureAndIssuesSession()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, emulator) => services.AddCloudCredentials(o =>
        {
            o.Type = "ram_role_arn";
            o.AccessKeyId = EmulatorFixture.KeyId;
            o.AccessKeySecret = EmulatorFixture.KeySecret;
            o.RoleArn = EmulatorFixture.RoleArn;
            o.RoleSessionName = "integration-session";
            o.RoleSessionExpiration = 1800;
            o.Policy = """{"Statement":[]}""";
            o.ExternalId = "ext-42";
            o.StsEndpoint = emulator.BaseAddress.ToString();
        }));

        CloudCredential credential = await h.GetAsync();
        CloudCredential again = await h.GetAsync();

        credential.Type.Should().Be("ram_role_arn");
        credential.ProviderName.Should().Be("ram_role_arn/static_ak");
        credential.AccessKeyId.Should().StartWith("STS.");
        credential.SecurityToken.Should().NotBeNullOrEmpty();
        credential.Expiration.Should().BeCloseTo(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1));
        again.Should().BeSameAs(credential, "the session is cached");
        EmulatorStats stats = h.Emulator.Stats;
        stats.StsAssumeRole.Should().Be(1);
        stats.SignatureFailures.Should().Be(0);
        stats.LastStsParameters.Should().Contain("RoleArn", EmulatorFixture.RoleArn)
            .And.Contain("RoleSessionName", "integration-session")
            .And.Contain("DurationSeconds", "1800")
            .And.Contain("ExternalId", "ext-42")
            .And.Contain("Policy", """{"Statement":[]}""")
            .And.Contain("AccessKeyId", EmulatorFixture.KeyId);
    }

    [Fact]
    public async Task RamRoleArn_WrongSecret_EmulatorRejectsSignature()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, emulator) => services.AddCloudCredentials(o =>
        {
            o.Type = "ram_role_arn";
            o.AccessKeyId = EmulatorFixture.KeyId;
            o.AccessKeySecret = "not-the-right-secret-Jk55";
            o.RoleArn = EmulatorFixture.RoleArn;
            o.StsEndpoint = emulator.BaseAddress.ToString();
        }));
        h.Secrets.Add("not-the-right-secret-Jk55");

        CredentialUnavailableException ex = await h.GetFailsAsync();

        ex.ErrorCode.Should().Be("SignatureDoesNotMatch");
        ex.Message.Should().StartWith("ram_role_arn: ").And.Contain(h.Emulator.BaseAddress.ToString());
        h.Emulator.Stats.SignatureFailures.Should().Be(1);
    }

    [Fact]
    public async Task OidcRoleArn_ThroughDi_TokenFileReReadOnRefresh()
    {
        var time = new FakeTimeProvider(Start);
        string tokenFile = _dir.Write("oidc-token", "oidc-token-one-Vb61\n");
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync(
            (services, emulator) => services.AddCloudCredentials(o =>
            {
                o.Type = "oidc_role_arn";
                o.RoleArn = EmulatorFixture.RoleArn;
                o.OIDCProviderArn = EmulatorFixture.OidcProviderArn;
                o.OIDCTokenFilePath = tokenFile;
                o.StsEndpoint = emulator.BaseAddress.ToString();
            }),
            time);
        h.Secrets.AddRange(["oidc-token-one-Vb61", "oidc-token-two-Nc38"]);

        CloudCredential first = await h.GetAsync();

        first.Type.Should().Be("oidc_role_arn");
        first.ProviderName.Should().Be("oidc_role_arn");
        first.Expiration.Should().Be(Start + TimeSpan.FromHours(1));
        h.Emulator.Stats.LastStsAction.Should().Be("AssumeRoleWithOIDC");
        h.Emulator.Stats.LastStsParameters.Should().Contain("OIDCToken", "oidc-token-one-Vb61", "the token is trimmed")
            .And.Contain("OIDCProviderArn", EmulatorFixture.OidcProviderArn);

        File.WriteAllText(tokenFile, "  oidc-token-two-Nc38  ");
        CredentialCache cache = h.Cache();
        time.Advance(TimeSpan.FromMinutes(45));
        (await h.GetAsync()).Should().BeSameAs(first, "past the refresh point the current credential is served while a background refresh runs");
        await cache.SettleAsync();
        CloudCredential second = await h.GetAsync();

        second.AccessKeyId.Should().NotBe(first.AccessKeyId);
        second.Expiration.Should().Be(Start + TimeSpan.FromMinutes(45) + TimeSpan.FromHours(1));
        h.Emulator.Stats.StsAssumeRoleWithOidc.Should().Be(2);
        h.Emulator.Stats.LastStsParameters.Should().Contain("OIDCToken", "oidc-token-two-Nc38", "the token file is read again on every refresh");
    }

    [Theory]
    [InlineData(EmulatorFixture.EcsRoleName)]
    [InlineData(null)]
    public async Task EcsRamRole_ThroughDi_ImdsV2TokenReusedAcrossRefreshes(string? roleName)
    {
        _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null);
        var time = new FakeTimeProvider(Start);
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync(
            (services, emulator) => services.AddCloudCredentials(o =>
            {
                o.Type = "ecs_ram_role";
                o.RoleName = roleName;
                o.MetadataEndpoint = emulator.BaseAddress.ToString();
            }),
            time,
            e => e.RequireImdsV2 = true);

        CloudCredential credential = await h.GetAsync();
        credential.Type.Should().Be("ecs_ram_role");
        credential.ProviderName.Should().Be("ecs_ram_role");
        credential.Expiration.Should().Be(Start + TimeSpan.FromHours(1));

        var keys = new HashSet<string> { credential.AccessKeyId! };
        for (int i = 1; i <= 3; i++)
        {
            time.Advance(TimeSpan.FromMinutes(31));
            await h.GetAsync();
            await h.Cache().SettleAsync();
            keys.Add((await h.GetAsync()).AccessKeyId!);
        }

        EmulatorStats stats = h.Emulator.Stats;
        keys.Should().HaveCount(4, "each refresh got a new credential");
        stats.MetadataCredentialsGets.Should().Be(4);
        stats.TokenPuts.Should().Be(1, "the IMDSv2 token is cached and reused for its TTL");
        stats.MetadataGetsWithoutToken.Should().Be(0);
        stats.MetadataTokenRejections.Should().Be(0);
        stats.RoleListGets.Should().Be(roleName is null ? 4 : 0, "without a configured role name it is discovered on every fetch");
    }

    [Fact]
    public async Task CredentialsUri_ThroughDi_ReturnsCredentialUriProviderName()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, emulator) => services.AddCloudCredentials(o =>
        {
            o.Type = "credentials_uri";
            o.CredentialsUri = emulator.CredentialsUri.ToString();
        }));

        CloudCredential credential = await h.GetAsync();
        await h.GetAsync();

        credential.Type.Should().Be("credentials_uri");
        credential.ProviderName.Should().Be("credential_uri");
        credential.AccessKeyId.Should().NotBeNullOrEmpty();
        credential.SecurityToken.Should().NotBeNullOrEmpty();
        credential.Expiration.Should().NotBeNull();
        h.Emulator.Stats.CredentialsUriGets.Should().Be(1);
    }

    [Fact]
    public async Task AllRemoteTypes_AsNamedRegistrations_AreIndependent()
    {
        _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null);
        string tokenFile = _dir.Write("token", "oidc-token-named-Ur90");
        await using EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, emulator) =>
        {
            string endpoint = emulator.BaseAddress.ToString();
            services.AddCloudCredentials("role", o =>
            {
                o.Type = "ram_role_arn";
                o.AccessKeyId = EmulatorFixture.KeyId;
                o.AccessKeySecret = EmulatorFixture.KeySecret;
                o.RoleArn = EmulatorFixture.RoleArn;
                o.StsEndpoint = endpoint;
            });
            services.AddCloudCredentials("oidc", o =>
            {
                o.Type = "oidc_role_arn";
                o.RoleArn = EmulatorFixture.RoleArn;
                o.OIDCProviderArn = EmulatorFixture.OidcProviderArn;
                o.OIDCTokenFilePath = tokenFile;
                o.StsEndpoint = endpoint;
            });
            services.AddCloudCredentials("ecs", o =>
            {
                o.Type = "ecs_ram_role";
                o.MetadataEndpoint = endpoint;
            });
            services.AddCloudCredentials("uri", o =>
            {
                o.Type = "credentials_uri";
                o.CredentialsUri = emulator.CredentialsUri.ToString();
            });
        });
        h.Secrets.Add("oidc-token-named-Ur90");

        (await h.GetAsync("role")).ProviderName.Should().Be("ram_role_arn/static_ak");
        (await h.GetAsync("oidc")).ProviderName.Should().Be("oidc_role_arn");
        (await h.GetAsync("ecs")).ProviderName.Should().Be("ecs_ram_role");
        (await h.GetAsync("uri")).ProviderName.Should().Be("credential_uri");
        h.Emulator.Stats.StsAssumeRole.Should().Be(1);
        h.Emulator.Stats.StsAssumeRoleWithOidc.Should().Be(1);
        h.Emulator.Stats.MetadataCredentialsGets.Should().Be(1);
        h.Emulator.Stats.CredentialsUriGets.Should().Be(1);
        h.Services.GetService<ICredentialSource>().Should().BeNull("only named registrations were made");
    }
}
