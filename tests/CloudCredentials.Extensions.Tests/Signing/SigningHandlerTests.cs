using System.Net;
using System.Text;
using CloudCredentials.Signing;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace CloudCredentials.Tests.Signing;

/// <summary>
/// The signing handlers in a real IHttpClientFactory pipeline over a <see cref="StubHandler"/>: every recorded request is
/// verified by recomputing its signature from what was sent.
/// </summary>
public sealed class SigningHandlerTests
{
    private const string Token = "CAIS+handler/STS==token";
    private static readonly CloudCredential StsCredential = new(CredentialTypes.Sts, "test")
    {
        AccessKeyId = "STS.KeyIdForHandler",
        AccessKeySecret = "handler-secret-value",
        SecurityToken = Token,
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly StubHandler _stub = new();
    private readonly FakeLogCollector _logs = new();

    [Fact]
    public async Task AlibabaHandler_RpcCall_SetsEveryHeaderAndASignatureOverWhatWasSent()
    {
        _stub.ThenStatus(HttpStatusCode.OK, "{}");
        HttpClient client = Client(StaticSource.AccessKey("LTAI5tHandlerKey", "handler-secret-value"), b => b.AddAlibabaCloudSigning());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/?RegionId=cn-hangzhou").SetAcsAction("DescribeRegions", "2014-05-26");
        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);

        RecordedRequest sent = _stub.Requests.Single();
        sent.Header("x-acs-action").Should().Be("DescribeRegions");
        sent.Header("x-acs-version").Should().Be("2014-05-26");
        sent.Header("x-acs-date").Should().Be("2026-12-01T12:00:00Z");
        sent.Header("x-acs-signature-nonce").Should().MatchRegex("^[0-9a-f]{32}$");
        sent.Header("x-acs-content-sha256").Should().Be(AcsV3Signer.EmptyPayloadHash);
        sent.Header("Authorization").Should().Be(RecomputeAcs(sent, "LTAI5tHandlerKey", "handler-secret-value"));
    }

    [Fact]
    public async Task AlibabaHandler_RoaJsonBodyWithDefaultsAndStsToken_SignsBodyAndToken()
    {
        _stub.ThenStatus(HttpStatusCode.OK, "{}");
        HttpClient client = Client(new StaticSource(StsCredential), b => b.AddAlibabaCloudSigning(o =>
        {
            o.DefaultAction = "CreateCluster";
            o.DefaultVersion = "2015-12-15";
        }));

        (await client.PostAsync("/clusters", new StringContent("{\"name\":\"a b\"}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        RecordedRequest sent = _stub.Requests.Single();
        sent.Header("x-acs-action").Should().Be("CreateCluster");
        sent.Header("x-acs-security-token").Should().Be(Token);
        sent.Header("x-acs-content-sha256").Should().Be(AcsV3Signer.HashPayload("{\"name\":\"a b\"}"u8));
        sent.Header("Authorization").Should().Contain("content-type;host;x-acs-accesskey-id;")
            .And.Be(RecomputeAcs(sent, StsCredential.AccessKeyId!, StsCredential.AccessKeySecret!));
    }

    [Fact]
    public async Task AlibabaHandler_BearerCredential_SendsTheBearerFormWithoutAuthorization()
    {
        _stub.ThenStatus(HttpStatusCode.OK, "{}");
        var bearer = new CloudCredential(CredentialTypes.Bearer, "test") { BearerToken = "bearer-token-value" };
        HttpClient client = Client(new StaticSource(bearer), b => b.AddAlibabaCloudSigning(o => (o.DefaultAction, o.DefaultVersion) = ("ListUsers", "2020-07-01")));

        (await client.GetAsync("/?InstanceId=i1")).EnsureSuccessStatusCode();

        RecordedRequest sent = _stub.Requests.Single();
        sent.Header("x-acs-bearer-token").Should().Be("bearer-token-value");
        sent.Header("Authorization").Should().BeNull();
        sent.Query().Should().Contain("SignatureType", "BEARERTOKEN");
    }

    [Fact]
    public async Task AwsHandler_StsFormPost_SignsTokenContentTypeAndBody()
    {
        _stub.ThenStatus(HttpStatusCode.OK, "<ok/>");
        HttpClient client = Client(new StaticSource(StsCredential), b => b.AddAwsSigV4Signing("sts", "us-east-1"));

        using var form = new FormUrlEncodedContent([new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]);
        (await client.PostAsync("/", form)).EnsureSuccessStatusCode();

        RecordedRequest sent = _stub.Requests.Single();
        sent.Header("x-amz-date").Should().Be("20261201T120000Z");
        sent.Header("x-amz-security-token").Should().Be(Token);
        sent.Header("x-amz-content-sha256").Should().BeNull("only s3 needs it by default");
        sent.Header("Authorization").Should().StartWith($"AWS4-HMAC-SHA256 Credential={StsCredential.AccessKeyId}/20261201/us-east-1/sts/aws4_request, ")
            .And.Be(RecomputeSigV4(sent, new SigV4Signer("sts", "us-east-1"), StsCredential));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handlers_InsideARetryHandler_SignEveryAttemptAfresh(bool aws)
    {
        _stub.Then(_ => Advance(HttpStatusCode.ServiceUnavailable)).Then(_ => Advance(HttpStatusCode.ServiceUnavailable)).Then(_ => Advance(HttpStatusCode.OK));
        var source = new StaticSource(StsCredential);
        HttpClient client = Client(source, b =>
        {
            b.AddResilienceHandler("retry", r => r.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.Zero,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
            }));
            _ = aws ? b.AddAwsSigV4Signing("sts", "us-east-1") : b.AddAlibabaCloudSigning(o => (o.DefaultAction, o.DefaultVersion) = ("GetCallerIdentity", "2015-04-01"));
        });

        (await client.PostAsync("/", new StringContent("Action=GetCallerIdentity", Encoding.UTF8, "application/x-www-form-urlencoded"))).EnsureSuccessStatusCode();

        _stub.Requests.Should().HaveCount(3);
        source.Calls.Should().Be(3, "the credential is asked on every attempt");
        _stub.Requests.Select(r => r.Header(aws ? "x-amz-date" : "x-acs-date")).Should().OnlyHaveUniqueItems();
        _stub.Requests.Select(r => r.Header("Authorization")).Should().OnlyHaveUniqueItems();
        _stub.Requests.Select(r => r.Body).Should().AllBe("Action=GetCallerIdentity", "the body is replayed on every attempt");
        if (!aws)
        {
            _stub.Requests.Select(r => r.Header("x-acs-signature-nonce")).Should().OnlyHaveUniqueItems();
        }

        foreach (RecordedRequest sent in _stub.Requests)
        {
            sent.Header("Authorization").Should().Be(aws
                ? RecomputeSigV4(sent, new SigV4Signer("sts", "us-east-1"), StsCredential)
                : RecomputeAcs(sent, StsCredential.AccessKeyId!, StsCredential.AccessKeySecret!));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handlers_CredentialUnavailable_SurfaceItAndSendNothing(bool aws)
    {
        _stub.ThenStatus(HttpStatusCode.OK);
        var failure = new CredentialUnavailableException("env", "ALIBABA_CLOUD_ACCESS_KEY_ID is not set", null);
        HttpClient client = Client(new FailingSource(failure), b => _ = aws ? b.AddAwsSigV4Signing("sts", "us-east-1") : b.AddAlibabaCloudSigning());

        Func<Task> send = () => client.GetAsync("/");

        (await send.Should().ThrowAsync<CredentialUnavailableException>()).Which.Should().BeSameAs(failure);
        _stub.Calls.Should().Be(0);
        _logs.AllText().Should().Contain("SigningCredentialUnavailable").And.Contain("ALIBABA_CLOUD_ACCESS_KEY_ID is not set");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handlers_Log_MethodHostPathAndMaskedKey_NeverASecret(bool aws)
    {
        _stub.ThenStatus(HttpStatusCode.OK);
        HttpClient client = Client(new StaticSource(StsCredential), b => _ = aws
            ? b.AddAwsSigV4Signing("sts", "us-east-1")
            : b.AddAlibabaCloudSigning(o => (o.DefaultAction, o.DefaultVersion) = ("GetCallerIdentity", "2015-04-01")));

        (await client.GetAsync("/path?Secret=query")).EnsureSuccessStatusCode();

        // Only the library's own lines: IHttpClientFactory's Trace header log (inside the signer) carries the raw signed
        // headers in its structured state although its message redacts them (see README, troubleshooting).
        string logs = string.Join("\n", _logs.GetSnapshot()
            .Where(r => r.Category?.StartsWith("CloudCredentials", StringComparison.Ordinal) == true)
            .Select(r => r.Message + " " + string.Join(" ", r.StructuredState ?? []) + r.Exception));
        logs.Should().Contain("Signed GET").And.Contain("GET").And.Contain("sts.example.test/path").And.Contain("STS.***");
        logs.Should().NotContain(StsCredential.AccessKeySecret).And.NotContain(Token).And.NotContain("Secret=query")
            .And.NotContain(StsCredential.AccessKeyId).And.NotContain(_stub.Requests.Single().Header("Authorization")!.Split("Signature=")[1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handlers_CredentialName_PicksTheKeyedSource(bool aws)
    {
        _stub.ThenStatus(HttpStatusCode.OK);
        HttpClient client = Client(StaticSource.AccessKey("DefaultKeyId", "default-secret"), b => _ = aws
            ? b.AddAwsSigV4Signing("sts", "us-east-1", "second")
            : b.AddAlibabaCloudSigning("second", o => (o.DefaultAction, o.DefaultVersion) = ("GetCallerIdentity", "2015-04-01")),
            services => services.AddKeyedSingleton<ICredentialSource>("second", StaticSource.AccessKey("SecondKeyId", "second-secret")));

        (await client.GetAsync("/")).EnsureSuccessStatusCode();

        _stub.Requests.Single().Header("Authorization").Should().Contain("Credential=SecondKeyId");
    }

    [Fact]
    public void Handlers_UnregisteredCredentialName_FailWithAClearMessage()
    {
        Action create = () => Client(StaticSource.AccessKey("DefaultKeyId", "default-secret"), b => b.AddAwsSigV4Signing("sts", "us-east-1", "missing"));

        create.Should().Throw<InvalidOperationException>().WithMessage("*HttpClient 'signed'*AddAwsSigV4Signing*'missing'*AddCloudCredentials(\"missing\"*");
    }

    private HttpResponseMessage Advance(HttpStatusCode status)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return StubHandler.Response(status);
    }

    private HttpClient Client(ICredentialSource source, Action<IHttpClientBuilder> configure, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(_logs)));
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(source);
        more?.Invoke(services);
        IHttpClientBuilder builder = services.AddHttpClient("signed", c => c.BaseAddress = new Uri("https://sts.example.test"))
            .ConfigurePrimaryHttpMessageHandler(() => _stub);
        configure(builder);
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient("signed");
    }

    private static KeyValuePair<string, string>[] SignedHeaders(RecordedRequest sent) =>
        [.. sent.Headers.Where(h => !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)), new("host", sent.Uri.Authority)];

    private static string RecomputeAcs(RecordedRequest sent, string keyId, string secret) => AcsV3Signer.Sign(
        sent.Method.Method, sent.Uri.AbsolutePath, sent.Uri.Query, SignedHeaders(sent), AcsV3Signer.HashPayload(Encoding.UTF8.GetBytes(sent.Body)), keyId, secret).Authorization;

    private static string RecomputeSigV4(RecordedRequest sent, SigV4Signer signer, CloudCredential credential) => signer.Sign(
        sent.Method.Method, sent.Uri.AbsolutePath, sent.Uri.Query, SignedHeaders(sent), SigV4Signer.HashPayload(Encoding.UTF8.GetBytes(sent.Body)),
        credential.AccessKeyId!, credential.AccessKeySecret!, sent.Header("x-amz-date")!).Authorization;

    private sealed class FailingSource(CredentialUnavailableException failure) : ICredentialSource
    {
        public ValueTask<CloudCredential> GetCredentialAsync(CancellationToken cancellationToken = default) => ValueTask.FromException<CloudCredential>(failure);
    }
}
