using System.Net;
using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Tests.Alibaba.Sts;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.OidcRoleArn;

public sealed class OidcRoleArnProviderTests : IDisposable
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:5996/");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-oidc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Func<StsClient> Sts(StubHandler stub) => () => new StsClient(new HttpClient(stub), _time, _logger);

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

}
