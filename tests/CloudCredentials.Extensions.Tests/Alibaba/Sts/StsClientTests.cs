using System.Net;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.Sts;

public sealed class StsClientTests
{
    private const string SigningSecret = "SigningSecretValue123";
    private const string SigningToken = "SigningSessionToken456";
    private const string ReturnedSecret = "ReturnedSecret789xyz";
    private const string ReturnedToken = "ReturnedToken000abc";
    private const string OidcToken = "eyJhbGciOiJSUzI1NiJ9.oidc-token-payload.signature";
    private static readonly Uri Endpoint = new("http://127.0.0.1:5999/");
    private static readonly string[] Secrets = [SigningSecret, SigningToken, ReturnedSecret, ReturnedToken, OidcToken];

    private static readonly CloudCredential AkCredential = new(CredentialTypes.AccessKey, "static_ak")
    {
        AccessKeyId = "LTAIsigningKeyId",
        AccessKeySecret = SigningSecret,
    };

    private static readonly CloudCredential StsCredential = new(CredentialTypes.Sts, "static_sts")
    {
        AccessKeyId = "STS.signingKeyId",
        AccessKeySecret = SigningSecret,
        SecurityToken = SigningToken,
    };

    private static readonly AssumeRoleRequest Request = new("acs:ram::123456789012:role/app", "session-1", 3600);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();

    internal static string SuccessBody(string expiration = "2026-03-04T06:06:07Z") =>
        $$$"""{"RequestId":"req-ok","AssumedRoleUser":{"Arn":"x","AssumedRoleId":"y"},"Credentials":{"AccessKeyId":"STS.returnedId","AccessKeySecret":"{{{ReturnedSecret}}}","SecurityToken":"{{{ReturnedToken}}}","Expiration":"{{{expiration}}}"}}""";

    internal static string ErrorBody(string code, string message, string requestId = "req-err") =>
        $$"""{"RequestId":"{{requestId}}","HostId":"sts.aliyuncs.com","Code":"{{code}}","Message":"{{message}}","Recommend":"https://next.api.aliyun.com/troubleshoot"}""";

    private StsClient Create(HttpMessageHandler handler) => new(new HttpClient(handler), _time, _logger);

    private void AssertNoSecrets(string text)
    {
        foreach (string secret in Secrets)
        {
            text.Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task AssumeRoleAsync_Request_IsSignedPostWithFormBody()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, SuccessBody());
        var request = Request with { Policy = "{\"Statement\": [{\"Action\": [\"*\"]}]}", ExternalId = "ext-1" };

        await Create(stub).AssumeRoleAsync(Endpoint, request, AkCredential, CancellationToken.None);

        RecordedRequest sent = stub.Requests.Single();
        sent.Method.Should().Be(HttpMethod.Post);
        sent.Header("Content-Type").Should().StartWith("application/x-www-form-urlencoded");
        Dictionary<string, string> query = sent.Query();
        Dictionary<string, string> form = sent.Form();
        query.Should().Contain(new Dictionary<string, string>
        {
            ["Version"] = "2015-04-01",
            ["Action"] = "AssumeRole",
            ["Format"] = "JSON",
            ["Timestamp"] = "2026-03-04T05:06:07Z",
            ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureVersion"] = "1.0",
            ["AccessKeyId"] = "LTAIsigningKeyId",
        });
        Guid.TryParse(query["SignatureNonce"], out _).Should().BeTrue();
        query.Should().NotContainKey("SecurityToken");
        form.Should().Equal(new Dictionary<string, string>
        {
            ["RoleArn"] = "acs:ram::123456789012:role/app",
            ["RoleSessionName"] = "session-1",
            ["DurationSeconds"] = "3600",
            ["Policy"] = "{\"Statement\": [{\"Action\": [\"*\"]}]}",
            ["ExternalId"] = "ext-1",
        });

        var union = query.Where(p => p.Key != "Signature").Concat(form).ToList();
        query["Signature"].Should().Be(RpcSigner.Sign("POST", union, SigningSecret));
        sent.Header("User-Agent").Should().StartWith("CloudCredentials.Extensions/");
    }

    [Fact]
    public async Task AssumeRoleAsync_SigningCredentialHasToken_SendsSecurityTokenInQuery()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, SuccessBody());

        await Create(stub).AssumeRoleAsync(Endpoint, Request, StsCredential, CancellationToken.None);

        Dictionary<string, string> query = stub.Requests.Single().Query();
        query["SecurityToken"].Should().Be(SigningToken);
        var union = query.Where(p => p.Key != "Signature").Concat(stub.Requests.Single().Form()).ToList();
        query["Signature"].Should().Be(RpcSigner.Sign("POST", union, SigningSecret));
    }

    [Fact]
    public async Task AssumeRoleAsync_EmptyPolicyAndExternalId_AreNotSent()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, SuccessBody());

        await Create(stub).AssumeRoleAsync(Endpoint, Request with { Policy = "", ExternalId = null }, AkCredential, CancellationToken.None);

        stub.Requests.Single().Form().Keys.Should().BeEquivalentTo("RoleArn", "RoleSessionName", "DurationSeconds");
    }

    [Theory]
    [InlineData("2026-03-04T06:06:07Z")]
    [InlineData("2026-03-04T06:06:07.000Z")]
    [InlineData("2026-03-04T06:06:07.1234567Z")]
    public async Task AssumeRoleAsync_Success_ParsesCredentialsWithOrWithoutFractions(string expiration)
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, SuccessBody(expiration));

        CloudCredential credential = await Create(stub).AssumeRoleAsync(Endpoint, Request, AkCredential, CancellationToken.None);

        credential.AccessKeyId.Should().Be("STS.returnedId");
        credential.AccessKeySecret.Should().Be(ReturnedSecret);
        credential.SecurityToken.Should().Be(ReturnedToken);
        credential.Expiration!.Value.UtcDateTime.Should().BeCloseTo(new DateTime(2026, 3, 4, 6, 6, 7, DateTimeKind.Utc), TimeSpan.FromSeconds(1));
        credential.Expiration!.Value.Offset.Should().Be(TimeSpan.Zero);
        credential.Type.Should().Be(CredentialTypes.RamRoleArn);
        credential.ProviderName.Should().Be("ram_role_arn");
        AssertNoSecrets(_logger.Collector.AllText());
    }

    [Fact]
    public async Task AssumeRoleAsync_ExpiredExpiration_IsReturnedAsIs()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, SuccessBody("2020-01-01T00:00:00Z"));

        CloudCredential credential = await Create(stub).AssumeRoleAsync(Endpoint, Request, AkCredential, CancellationToken.None);

        credential.Expiration.Should().Be(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "InvalidParameter", "RoleSessionName")]
    [InlineData(HttpStatusCode.Forbidden, "NoPermission", "trust policy")]
    [InlineData(HttpStatusCode.NotFound, "EntityNotExist.Role", "acs:ram::123456789012:role/app")]
    [InlineData(HttpStatusCode.TooManyRequests, "Throttling.User", "throttling")]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", "unavailable")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "unavailable")]
    public async Task AssumeRoleAsync_StsError_ThrowsWithProviderEndpointStatusCodeAndRequestId(HttpStatusCode status, string code, string hint)
    {
        var stub = new StubHandler().ThenStatus(status, ErrorBody(code, $"The thing failed. token={SigningToken}"));

        Func<Task> act = () => Create(stub).AssumeRoleAsync(Endpoint, Request, StsCredential, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("ram_role_arn");
        ex.StatusCode.Should().Be(status);
        ex.ErrorCode.Should().Be(code);
        ex.RequestId.Should().Be("req-err");
        ex.Endpoint.Should().Be("http://127.0.0.1:5999/");
        ex.Message.Should().StartWith("ram_role_arn: STS AssumeRole at http://127.0.0.1:5999/ answered " + (int)status)
            .And.Contain("Code " + code).And.Contain("req-err").And.Contain("The thing failed").And.Contain(hint);
        AssertNoSecrets(ex.Message);
        AssertNoSecrets(ex.ToString());
        AssertNoSecrets(_logger.Collector.AllText());
    }

    [Fact]
    public async Task AssumeRoleAsync_SignatureDoesNotMatchWithSameStringToSign_SaysSecretIsWrong()
    {
        var stub = new StubHandler().Then(r =>
        {
            var all = r.Query().Where(p => p.Key != "Signature").Concat(r.Form());
            string serverStringToSign = RpcSigner.StringToSign("POST", all);
            return StubHandler.Response(
                HttpStatusCode.BadRequest,
                ErrorBody("SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + serverStringToSign));
        });

        Func<Task> act = () => Create(stub).AssumeRoleAsync(Endpoint, Request, StsCredential, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ErrorCode.Should().Be("SignatureDoesNotMatch");
        ex.Message.Should().Contain("the AccessKey secret is wrong").And.Contain("Check the AccessKeySecret").And.Contain("STS.***").And.Contain("static_sts");
        AssertNoSecrets(ex.Message);
    }

    [Fact]
    public async Task AssumeRoleAsync_SignatureDoesNotMatchWithOtherStringToSign_SaysRequestWasChanged()
    {
        var stub = new StubHandler().ThenStatus(
            HttpStatusCode.BadRequest,
            ErrorBody("SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&SecurityToken%3D" + SigningToken));

        Func<Task> act = () => Create(stub).AssumeRoleAsync(Endpoint, Request, StsCredential, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("different string to sign");
        AssertNoSecrets(ex.Message);
    }

    [Fact]
    public async Task AssumeRoleAsync_HtmlInsteadOfJson_ThrowsClearError()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, "<html><body>Captive portal</body></html>", "text/html");

        Func<Task> act = () => Create(stub).AssumeRoleAsync(Endpoint, Request, AkCredential, CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain("not JSON").And.Contain("text/html").And.Contain("200");
    }

    [Fact]
    public async Task AssumeRoleAsync_HtmlErrorPage_ThrowsWithStatus()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.BadGateway, "<html>Bad gateway</html>", "text/html");

        Func<Task> act = () => Create(stub).AssumeRoleAsync(Endpoint, Request, AkCredential, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        ex.Message.Should().Contain("502").And.Contain("without an STS error code");
    }

    [Fact]
    public async Task AssumeRoleAsync_JsonWithoutCredentials_ThrowsAndRedactsBody()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, $$"""{"RequestId":"req-7","SecurityToken":"{{ReturnedToken}}"}""");

        Func<Task> act = () => Create(stub).AssumeRoleAsync(Endpoint, Request, AkCredential, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("no Credentials object").And.Contain("req-7");
        ex.RequestId.Should().Be("req-7");
        AssertNoSecrets(ex.Message);
    }

    [Fact]
    public async Task AssumeRoleAsync_CredentialsMissingFields_NamesThem()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, $$$"""{"Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"{{{ReturnedSecret}}}"}}""");

        Func<Task> act = () => Create(stub).AssumeRoleAsync(Endpoint, Request, AkCredential, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("lacks SecurityToken, Expiration");
        AssertNoSecrets(ex.Message);
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("2026/03/04 06:06:07")]
    [InlineData("2026-03-04T06:06:07+08:00")]
    public async Task AssumeRoleAsync_UnparsableExpiration_ThrowsClearError(string expiration)
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, SuccessBody(expiration));

        Func<Task> act = () => Create(stub).AssumeRoleAsync(Endpoint, Request, AkCredential, CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain("Expiration").And.Contain(expiration).And.Contain("not a UTC time");
    }

    [Fact]
    public async Task AssumeRoleAsync_ConnectionRefused_ThrowsNamingEndpoint()
    {
        var stub = new StubHandler().ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:5999)"));

        Func<Task> act = () => Create(stub).AssumeRoleAsync(Endpoint, Request, AkCredential, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("could not call STS AssumeRole at http://127.0.0.1:5999/").And.Contain("Connection refused");
        ex.InnerException.Should().BeOfType<HttpRequestException>();
    }

    [Fact]
    public async Task AssumeRoleAsync_Timeout_ThrowsNamingTimeout()
    {
        var stub = new StubHandler().ThenThrow(new TimeoutException("POST http://127.0.0.1:5999/?… did not answer within the total timeout of 30 s"));

        Func<Task> act = () => Create(stub).AssumeRoleAsync(Endpoint, Request, AkCredential, CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("total timeout of 30 s");
    }

    [Fact]
    public async Task AssumeRoleAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var stub = new StubHandler().ThenHang();
        using var cts = new CancellationTokenSource();
        Task call = Create(stub).AssumeRoleAsync(Endpoint, Request, AkCredential, cts.Token);
        await cts.CancelAsync();

        await ((Func<Task>)(() => call)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task AssumeRoleAsync_BearerSigningCredential_ThrowsWithoutCallingSts()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, SuccessBody());
        var bearer = new CloudCredential(CredentialTypes.Bearer, "bearer") { BearerToken = "bearer-secret-token" };

        Func<Task> act = () => Create(stub).AssumeRoleAsync(Endpoint, Request, bearer, CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("no AccessKey pair").And.NotContain("bearer-secret-token");
        stub.Calls.Should().Be(0);
    }

    [Fact]
    public async Task AssumeRoleAsync_RetriedThroughResiliencePipeline_EachAttemptHasFreshNonceAndValidSignature()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.ServiceUnavailable, ErrorBody("ServiceUnavailable", "busy")).ThenStatus(HttpStatusCode.OK, SuccessBody());
        var settings = new HttpClientSettings(TimeSpan.FromSeconds(5), 2, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1), false);
        var handler = CredentialPipelines.Handler(settings, TimeProvider.System, stub);

        await Create(handler).AssumeRoleAsync(Endpoint, Request, StsCredential, CancellationToken.None);

        stub.Requests.Should().HaveCount(2);
        stub.Requests.Select(r => r.Query()["SignatureNonce"]).Distinct().Should().HaveCount(2);
        foreach (RecordedRequest r in stub.Requests)
        {
            Dictionary<string, string> query = r.Query();
            query["Signature"].Should().Be(RpcSigner.Sign("POST", query.Where(p => p.Key != "Signature").Concat(r.Form()), SigningSecret));
        }
    }

    [Fact]
    public async Task AssumeRoleWithOidcAsync_Request_IsUnsignedPostWithTokenInBody()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, SuccessBody());
        var request = new AssumeRoleWithOidcRequest("acs:ram::1:role/oidc", "acs:ram::1:oidc-provider/p", OidcToken, "s", 900, "{\"p\":1}");

        CloudCredential credential = await Create(stub).AssumeRoleWithOidcAsync(Endpoint, request, CancellationToken.None);

        RecordedRequest sent = stub.Requests.Single();
        sent.Method.Should().Be(HttpMethod.Post);
        Dictionary<string, string> query = sent.Query();
        query.Should().Contain("Action", "AssumeRoleWithOIDC").And.Contain("Version", "2015-04-01").And.Contain("Format", "JSON")
            .And.Contain("Timestamp", "2026-03-04T05:06:07Z");
        query.Should().NotContainKeys("Signature", "AccessKeyId", "OIDCToken");
        sent.Uri.ToString().Should().NotContain("oidc-token-payload");
        sent.Form().Should().Equal(new Dictionary<string, string>
        {
            ["RoleArn"] = "acs:ram::1:role/oidc",
            ["OIDCProviderArn"] = "acs:ram::1:oidc-provider/p",
            ["OIDCToken"] = OidcToken,
            ["RoleSessionName"] = "s",
            ["DurationSeconds"] = "900",
            ["Policy"] = "{\"p\":1}",
        });
        credential.Type.Should().Be(CredentialTypes.OidcRoleArn);
        credential.ProviderName.Should().Be("oidc_role_arn");
    }

    [Fact]
    public async Task AssumeRoleWithOidcAsync_ErrorEchoesToken_TokenIsRedacted()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.BadRequest, ErrorBody("InvalidParameter.OIDCToken", $"The OIDCToken {OidcToken} is expired."));
        var request = new AssumeRoleWithOidcRequest("acs:ram::1:role/oidc", "arn:p", OidcToken, "s", 900);

        Func<Task> act = () => Create(stub).AssumeRoleWithOidcAsync(Endpoint, request, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("oidc_role_arn");
        ex.ErrorCode.Should().Be("InvalidParameter.OIDCToken");
        ex.Message.Should().Contain("is expired");
        AssertNoSecrets(ex.Message);
        request.ToString().Should().NotContain(OidcToken);
    }
}
