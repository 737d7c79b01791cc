using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// Sections of the legacy INI credentials file (~/.alibabacloud/credentials) found by the default chain through
/// AddCloudCredentials, the remote types running against the emulator.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class IniProfileEndToEndTests : IDisposable
{
    private readonly EnvironmentScope _env = new();
    private readonly SessionTempDirectory _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        _env.Dispose();
    }

    [Fact]
    public async Task RamRoleArnSection_IsDefaultProfileRamRoleArn()
    {
        await using EmulatorFixture h = await StartAsync(null, emulator => $"""
            [default]
            type = ram_role_arn
            access_key_id = {EmulatorFixture.KeyId}
            access_key_secret = {EmulatorFixture.KeySecret}
            role_arn = {EmulatorFixture.RoleArn}
            role_session_name = ini-session
            sts_endpoint = {emulator}
            """);

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/profile/ram_role_arn/static_ak");
        credential.Type.Should().Be("ram_role_arn");
        h.Emulator.Stats.StsAssumeRole.Should().Be(1);
        h.Emulator.Stats.SignatureFailures.Should().Be(0);
        h.Emulator.Stats.LastStsParameters.Should().Contain("RoleSessionName", "ini-session");
    }

    [Fact]
    public async Task OidcRoleArnSection_SelectedByProfileOption_IsDefaultProfileOidc()
    {
        string tokenFile = _dir.Write("token", "ini-oidc-token-Re73");
        await using EmulatorFixture h = await StartAsync("k8s", emulator => $"""
            [default]
            type = access_key
            access_key_id = LTAInotThisOne
            access_key_secret = not-this-one
            [k8s]
            type = oidc_role_arn
            role_arn = {EmulatorFixture.RoleArn}
            oidc_provider_arn = {EmulatorFixture.OidcProviderArn}
            oidc_token_file_path = {tokenFile}
            sts_endpoint = {emulator}
            """);
        h.Secrets.Add("ini-oidc-token-Re73");

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/profile/oidc_role_arn");
        credential.Type.Should().Be("oidc_role_arn");
        h.Emulator.Stats.LastStsParameters.Should().Contain("OIDCToken", "ini-oidc-token-Re73");
    }

    [Fact]
    public async Task EcsRamRoleSection_MetadataEndpointOption_IsDefaultProfileEcs()
    {
        _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null);
        await using EmulatorFixture h = await StartAsync(null, _ => """
            [default]
            type = ecs_ram_role
            role_name = app-role
            """);

        CloudCredential credential = await h.GetAsync();

        credential.ProviderName.Should().Be("default/profile/ecs_ram_role");
        credential.Type.Should().Be("ecs_ram_role");
        h.Emulator.Stats.MetadataCredentialsGets.Should().Be(1);
        h.Emulator.Stats.RoleListGets.Should().Be(0);
    }

    private async Task<EmulatorFixture> StartAsync(string? profile, Func<string, string> ini)
    {
        EmulatorFixture h = await EmulatorFixture.StartHostAsync((services, emulator) =>
        {
            _env.WriteHomeFile(".alibabacloud/credentials", ini(emulator.BaseAddress.ToString()));
            services.AddCloudCredentials(o =>
            {
                o.Profile = profile;
                o.MetadataEndpoint = emulator.BaseAddress.ToString();
            });
        });
        h.Secrets.Add("not-this-one");
        return h;
    }
}
