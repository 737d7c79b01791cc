using System.Net;
using CloudCredentials.Alibaba.CredentialsUri;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Http;
using CloudCredentials.Tests.Http;
using CloudCredentials.Tests.Http.Support;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Providers.Remote;

public sealed class RemoteProviderTests : IDisposable
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:5996/");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-oidc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Func<StsClient> Sts(StubHandler stub) => () => new StsClient(new HttpClient(stub), _time, _logger);

    private static RoleSessionParameters RamSession => new("acs:ram::1:role/app", "credentials-dotnet-1", 3600, null, Endpoint);

    [Fact]
    public async Task RamRoleArn_FetchAsync_AsksSigningSourceEveryTimeAndNamesChain()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, StsClientTests.SuccessBody());
        var source = new CountingSource();
        var provider = new RamRoleArnProvider(source, RamSession, null, Sts(stub));

        CloudCredential first = await provider.FetchAsync(CancellationToken.None);
        CloudCredential second = await provider.FetchAsync(CancellationToken.None);

        provider.ProviderName.Should().Be("ram_role_arn");
        source.Calls.Should().Be(2);
        stub.Requests.Select(r => r.Query()["AccessKeyId"]).Should().Equal("LTAIkey1", "LTAIkey2");
        first.Type.Should().Be("ram_role_arn");
        first.ProviderName.Should().Be("ram_role_arn/static_ak");
        second.AccessKeyId.Should().Be("STS.returnedId");
    }

    [Fact]
    public async Task RamRoleArn_SigningSourceFails_ThrowsNamingRole()
    {
        var provider = new RamRoleArnProvider(new FailingSource(), RamSession, null, Sts(new StubHandler()));

        CredentialUnavailableException ex = (await ((Func<Task>)(() => provider.FetchAsync(CancellationToken.None).AsTask()))
            .Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("ram_role_arn");
        ex.Message.Should().Contain("acs:ram::1:role/app").And.Contain("env: nothing set");
    }

    [Fact]
    public async Task RamRoleArn_SettingsReachTheRequest()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, StsClientTests.SuccessBody());
        var provider = new RamRoleArnProvider(new CountingSource(), RamSession with { Policy = "{}", DurationSeconds = 900 }, "ext", Sts(stub));

        await provider.FetchAsync(CancellationToken.None);

        stub.Requests.Single().Form().Should().Contain("Policy", "{}").And.Contain("ExternalId", "ext").And.Contain("DurationSeconds", "900")
            .And.Contain("RoleSessionName", "credentials-dotnet-1");
    }

    [Fact]
    public async Task OidcRoleArn_FetchAsync_ReReadsAndTrimsTokenFileEveryTime()
    {
        string path = Path.Combine(_dir, "token");
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, StsClientTests.SuccessBody());
        var provider = new OidcRoleArnProvider(new OidcRoleArnSpec(new RoleSessionParameters("acs:ram::1:role/o", "s", 3600, null, Endpoint), "acs:ram::1:oidc-provider/p", path), Sts(stub));

        await File.WriteAllTextAsync(path, "  first-token-value\n");
        CloudCredential credential = await provider.FetchAsync(CancellationToken.None);
        await File.WriteAllTextAsync(path, "second-token-value\r\n");
        await provider.FetchAsync(CancellationToken.None);

        stub.Requests.Select(r => r.Form()["OIDCToken"]).Should().Equal("first-token-value", "second-token-value");
        provider.ProviderName.Should().Be("oidc_role_arn");
        credential.Type.Should().Be("oidc_role_arn");
        credential.ProviderName.Should().Be("oidc_role_arn");
    }

    [Fact]
    public async Task OidcRoleArn_MissingFile_ThrowsNamingPath()
    {
        string path = Path.Combine(_dir, "missing", "token");
        var provider = new OidcRoleArnProvider(new OidcRoleArnSpec(new RoleSessionParameters("r", "s", 3600, null, Endpoint), "p", path), Sts(new StubHandler()));

        CredentialUnavailableException ex = (await ((Func<Task>)(() => provider.FetchAsync(CancellationToken.None).AsTask()))
            .Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("oidc_role_arn");
        ex.Message.Should().Contain(path).And.Contain("does not exist").And.Contain("ALIBABA_CLOUD_OIDC_TOKEN_FILE");
    }

    [Fact]
    public async Task OidcRoleArn_PathIsDirectory_ThrowsCannotBeRead()
    {
        var provider = new OidcRoleArnProvider(new OidcRoleArnSpec(new RoleSessionParameters("r", "s", 3600, null, Endpoint), "p", _dir), Sts(new StubHandler()));

        (await ((Func<Task>)(() => provider.FetchAsync(CancellationToken.None).AsTask()))
            .Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain(_dir).And.Contain("cannot be read");
    }

    [Fact]
    public async Task OidcRoleArn_EmptyFile_ThrowsEmpty()
    {
        string path = Path.Combine(_dir, "empty");
        await File.WriteAllTextAsync(path, " \n");
        var provider = new OidcRoleArnProvider(new OidcRoleArnSpec(new RoleSessionParameters("r", "s", 3600, null, Endpoint), "p", path), Sts(new StubHandler()));

        (await ((Func<Task>)(() => provider.FetchAsync(CancellationToken.None).AsTask()))
            .Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain(path).And.Contain("is empty");
    }

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

    [Fact]
    public async Task CredentialsUri_FetchAsync_ReturnsCredentialWithNames()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, CredentialsUriClientTests.Body());
        var provider = new CredentialsUriProvider(new CredentialsUriSpec(new Uri(Endpoint, "credentials")), () => new CredentialsUriClient(new HttpClient(stub), _logger));

        CloudCredential credential = await provider.FetchAsync(CancellationToken.None);

        provider.ProviderName.Should().Be("credential_uri");
        credential.Type.Should().Be("credentials_uri");
        credential.ProviderName.Should().Be("credential_uri");
        stub.Requests.Single().Uri.Should().Be(new Uri("http://127.0.0.1:5996/credentials"));
    }

    private sealed class CountingSource : ICredentialSource
    {
        private int _calls;

        public int Calls => _calls;

        public ValueTask<CloudCredential> GetCredentialAsync(CancellationToken cancellationToken = default)
        {
            int n = Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(new CloudCredential(CredentialTypes.AccessKey, "static_ak")
            {
                AccessKeyId = $"LTAIkey{n}",
                AccessKeySecret = "secret" + n,
            });
        }
    }

    private sealed class FailingSource : ICredentialSource
    {
        public ValueTask<CloudCredential> GetCredentialAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromException<CloudCredential>(new CredentialUnavailableException("env", "nothing set", null));
    }
}
