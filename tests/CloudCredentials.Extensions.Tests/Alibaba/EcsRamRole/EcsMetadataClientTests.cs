using System.Net;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.EcsRamRole;

public sealed class EcsMetadataClientTests
{
    private static readonly Uri Base = new("http://127.0.0.1:5998/");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeImds _imds;
    private readonly ImdsTokenCache _cache = new();
    private readonly FakeLogger _logger = new();

    public EcsMetadataClientTests() => _imds = new FakeImds(_time);

    private EcsMetadataClient Create() => new(new HttpClient(_imds), _cache, _time, _logger);

    private void AssertNoSecrets(string text)
    {
        text.Should().NotContain(FakeImds.Secret).And.NotContain(FakeImds.Token).And.NotContain("secretpart");
    }

    [Fact]
    public async Task GetCredentialAsync_ImdsV2_PutsTokenWithTtlAndSendsItOnGet()
    {
        var stub = new StubHandler()
            .ThenStatus(HttpStatusCode.OK, "the-token-secretpart", "text/plain")
            .ThenStatus(HttpStatusCode.OK, new FakeImds(_time).Body());
        var client = new EcsMetadataClient(new HttpClient(stub), _cache, _time, _logger);

        CloudCredential credential = await client.GetCredentialAsync(Base, "app-role", disableV1: false, CancellationToken.None);

        stub.Requests[0].Method.Should().Be(HttpMethod.Put);
        stub.Requests[0].Uri.Should().Be(new Uri("http://127.0.0.1:5998/latest/api/token"));
        stub.Requests[0].Header("X-aliyun-ecs-metadata-token-ttl-seconds").Should().Be("21600");
        stub.Requests[1].Method.Should().Be(HttpMethod.Get);
        stub.Requests[1].Uri.Should().Be(new Uri("http://127.0.0.1:5998/latest/meta-data/ram/security-credentials/app-role"));
        stub.Requests[1].Header("X-aliyun-ecs-metadata-token").Should().Be("the-token-secretpart");
        credential.AccessKeyId.Should().Be("STS.imdsKeyId");
        credential.AccessKeySecret.Should().Be(FakeImds.Secret);
        credential.SecurityToken.Should().Be(FakeImds.Token);
        credential.Expiration.Should().Be(new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero));
        credential.Type.Should().Be(CredentialTypes.EcsRamRole);
        credential.ProviderName.Should().Be("ecs_ram_role");
        AssertNoSecrets(_logger.Collector.AllText());
    }

    [Fact]
    public async Task GetRoleNameAsync_ListWithWhitespace_ReturnsTrimmedName()
    {
        _imds.RoleList = "  app-role \r\n";

        (await Create().GetRoleNameAsync(Base, false, CancellationToken.None)).Should().Be("app-role");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n ")]
    public async Task GetRoleNameAsync_EmptyList_ThrowsNoRoleAttached(string list)
    {
        _imds.RoleList = list;

        Func<Task> act = () => Create().GetRoleNameAsync(Base, false, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("ecs_ram_role");
        ex.Message.Should().Contain("no RAM role is attached").And.Contain("http://127.0.0.1:5998/latest/meta-data/ram/security-credentials/");
    }

    [Fact]
    public async Task GetCredentialAsync_CalledRepeatedly_ReusesOneToken()
    {
        EcsMetadataClient client = Create();
        for (int i = 0; i < 5; i++)
        {
            await client.GetRoleNameAsync(Base, false, CancellationToken.None);
            await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);
            _time.Advance(TimeSpan.FromHours(1));
        }

        _imds.TokenPuts.Should().Be(1, "one token lasts 6 hours");
        _imds.V2Gets.Should().Be(10);
        _imds.V1Gets.Should().Be(0);
    }

    [Fact]
    public async Task GetCredentialAsync_ClientsShareTheCache_OnePut()
    {
        await Create().GetCredentialAsync(Base, "app-role", false, CancellationToken.None);
        await Create().GetCredentialAsync(Base, "app-role", false, CancellationToken.None);

        _imds.TokenPuts.Should().Be(1);
    }

    [Fact]
    public async Task GetCredentialAsync_ConcurrentCallers_FetchOneToken()
    {
        EcsMetadataClient client = Create();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None))));

        _imds.TokenPuts.Should().Be(1);
    }

    [Fact]
    public async Task GetCredentialAsync_TokenNearTtlEnd_FetchesNewTokenNotStaleOne()
    {
        EcsMetadataClient client = Create();
        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);

        _time.Advance(TimeSpan.FromHours(6) - TimeSpan.FromMinutes(6));
        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);
        _imds.TokenPuts.Should().Be(1);

        _time.Advance(TimeSpan.FromMinutes(2));
        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);

        _imds.TokenPuts.Should().Be(2, "the token is renewed 5 minutes before its TTL ends");
        _imds.Log.Should().NotContain(l => l.Contains("token expired"));
        _imds.V1Gets.Should().Be(0);
    }

    [Fact]
    public async Task GetCredentialAsync_DifferentEndpoints_HaveSeparateTokens()
    {
        EcsMetadataClient client = Create();
        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);
        await client.GetCredentialAsync(new Uri("http://127.0.0.2:5998/"), "app-role", false, CancellationToken.None);

        _imds.TokenPuts.Should().Be(2);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    [InlineData((HttpStatusCode)0)]
    public async Task GetCredentialAsync_TokenPutFailsV1Allowed_FallsBackToV1(HttpStatusCode putStatus)
    {
        _imds.TokenPutStatus = putStatus;

        CloudCredential credential = await Create().GetCredentialAsync(Base, "app-role", disableV1: false, CancellationToken.None);

        credential.AccessKeyId.Should().Be("STS.imdsKeyId");
        _imds.V1Gets.Should().Be(1);
        _imds.V2Gets.Should().Be(0);
        _logger.Collector.AllText().Should().Contain("falling back to IMDSv1");
    }

    [Fact]
    public async Task GetCredentialAsync_TokenPutFailedRecently_SkipsPutForTenSeconds()
    {
        _imds.TokenPutStatus = HttpStatusCode.Forbidden;
        EcsMetadataClient client = Create();

        await client.GetRoleNameAsync(Base, false, CancellationToken.None);
        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);
        _imds.TokenPuts.Should().Be(1);

        _time.Advance(TimeSpan.FromSeconds(9));
        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);
        _imds.TokenPuts.Should().Be(1);

        _imds.TokenPutStatus = null;
        _time.Advance(TimeSpan.FromSeconds(1));
        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);

        _imds.TokenPuts.Should().Be(2);
        _imds.V2Gets.Should().Be(1);
        _imds.V1Gets.Should().Be(3);
    }

    [Fact]
    public async Task GetCredentialAsync_TokenPutFailedRecentlyButV1Disabled_AsksAgain()
    {
        _imds.TokenPutStatus = HttpStatusCode.Forbidden;
        EcsMetadataClient client = Create();
        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);
        _imds.TokenPutStatus = null;

        await client.GetCredentialAsync(Base, "app-role", true, CancellationToken.None);

        _imds.TokenPuts.Should().Be(2);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "403")]
    [InlineData(HttpStatusCode.NotFound, "404")]
    [InlineData(HttpStatusCode.MethodNotAllowed, "405")]
    [InlineData((HttpStatusCode)0, "timeout")]
    public async Task GetCredentialAsync_TokenPutFailsV1Disabled_ThrowsNamingPutAndSetting(HttpStatusCode putStatus, string expected)
    {
        _imds.TokenPutStatus = putStatus;

        Func<Task> act = () => Create().GetCredentialAsync(Base, "app-role", disableV1: true, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("ecs_ram_role");
        ex.Message.Should().Contain("PUT http://127.0.0.1:5998/latest/api/token").And.Contain(expected).And.Contain("DisableIMDSv1");
        ex.Endpoint.Should().Be("http://127.0.0.1:5998/latest/api/token");
        if (putStatus != 0)
        {
            ex.StatusCode.Should().Be(putStatus);
        }

        _imds.V1Gets.Should().Be(0);
        _imds.V2Gets.Should().Be(0);
    }

    [Fact]
    public async Task GetCredentialAsync_TokenisedGet401Once_RefetchesTokenAndRetries()
    {
        EcsMetadataClient client = Create();
        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);
        _imds.RejectTokenisedGets = 1;

        CloudCredential credential = await client.GetCredentialAsync(Base, "app-role", disableV1: true, CancellationToken.None);

        credential.AccessKeyId.Should().Be("STS.imdsKeyId");
        _imds.TokenPuts.Should().Be(2);
        _imds.V1Gets.Should().Be(0);

        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);
        _imds.TokenPuts.Should().Be(2, "the new token is cached");
    }

    [Fact]
    public async Task GetCredentialAsync_TokenisedGet401Twice_FallsBackToV1WhenAllowed()
    {
        _imds.RejectTokenisedGets = 2;

        CloudCredential credential = await Create().GetCredentialAsync(Base, "app-role", disableV1: false, CancellationToken.None);

        credential.AccessKeyId.Should().Be("STS.imdsKeyId");
        _imds.TokenPuts.Should().Be(2);
        _imds.V2Gets.Should().Be(2);
        _imds.V1Gets.Should().Be(1);
    }

    [Fact]
    public async Task GetCredentialAsync_TokenisedGet401TwiceV1Disabled_ThrowsWith401()
    {
        _imds.RejectTokenisedGets = 2;

        Func<Task> act = () => Create().GetCredentialAsync(Base, "app-role", disableV1: true, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        ex.Message.Should().Contain("401").And.Contain("IMDSv1 fallback is disabled");
        _imds.V1Gets.Should().Be(0);
        AssertNoSecrets(ex.Message);
    }

    [Fact]
    public async Task GetCredentialAsync_TokenisedGet403_DropsTokenAndFallsBackToV1()
    {
        _imds.TokenisedGetStatus = HttpStatusCode.Forbidden;
        EcsMetadataClient client = Create();

        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);
        _imds.TokenisedGetStatus = null;
        await client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);

        _imds.V1Gets.Should().Be(1);
        _imds.TokenPuts.Should().Be(2, "the rejected token was dropped at once");
    }

    [Fact]
    public async Task GetCredentialAsync_TokenisedGet500_FallsBackToV1()
    {
        _imds.TokenisedGetStatus = HttpStatusCode.InternalServerError;

        await Create().GetCredentialAsync(Base, "app-role", false, CancellationToken.None);

        _imds.V1Gets.Should().Be(1);
        _logger.Collector.AllText().Should().Contain("retrying without a token");
    }

    [Fact]
    public async Task GetCredentialAsync_TokenisedGetAndV1BothFail_ErrorMentionsBoth()
    {
        _imds.TokenisedGetStatus = HttpStatusCode.InternalServerError;
        _imds.RequireToken = true;

        Func<Task> act = () => Create().GetCredentialAsync(Base, "app-role", false, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        ex.Message.Should().Contain("401").And.Contain("without a token").And.Contain("500");
    }

    [Fact]
    public async Task GetCredentialAsync_CodeNotSuccess_ThrowsWithCode()
    {
        _imds.CredentialBody = _imds.Body(code: "Failed");

        Func<Task> act = () => Create().GetCredentialAsync(Base, "app-role", false, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ErrorCode.Should().Be("Failed");
        ex.Message.Should().Contain("Code Failed instead of Success").And.Contain("app-role");
        AssertNoSecrets(ex.Message);
    }

    [Fact]
    public async Task GetCredentialAsync_MissingFields_NamesThem()
    {
        _imds.CredentialBody = """{"Code":"Success","AccessKeyId":"STS.x","Expiration":"2026-01-01T06:00:00Z"}""";

        Func<Task> act = () => Create().GetCredentialAsync(Base, "app-role", false, CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("lacks AccessKeySecret, SecurityToken");
    }

    [Fact]
    public async Task GetCredentialAsync_UnknownRole_Throws404NamingRole()
    {
        Func<Task> act = () => Create().GetCredentialAsync(Base, "other-role", false, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.StatusCode.Should().Be(HttpStatusCode.NotFound);
        ex.Message.Should().Contain("'other-role' is not attached");
    }

    [Fact]
    public async Task GetCredentialAsync_NotJson_ThrowsClearError()
    {
        _imds.CredentialBody = "<html>oops</html>";

        (await ((Func<Task>)(() => Create().GetCredentialAsync(Base, "app-role", false, CancellationToken.None)))
            .Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("not JSON");
    }

    [Fact]
    public async Task GetCredentialAsync_Unreachable_ThrowsSayingSo()
    {
        var stub = new StubHandler().ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:5998)"));
        var client = new EcsMetadataClient(new HttpClient(stub), _cache, _time, _logger);

        Func<Task> act = () => client.GetCredentialAsync(Base, "app-role", false, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("could not GET http://127.0.0.1:5998/latest/meta-data/ram/security-credentials/app-role").And.Contain("Connection refused");
    }

    [Fact]
    public void ImdsToken_ToString_HidesValue()
    {
        new ImdsToken("tok-secretpart", DateTimeOffset.UnixEpoch).ToString().Should().NotContain("secretpart");
    }
}
