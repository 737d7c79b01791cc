using System.Net;
using CloudCredentials.Aws.InstanceMetadata;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Aws.InstanceMetadata;

/// <summary>The AWS IMDS provider against an in-memory IMDS: token protocol, IMDSv1 fallback rules, role discovery, errors.</summary>
public sealed class InstanceMetadataProviderTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private readonly ImdsTokenCache _tokens = new();
    private readonly AwsFakeImds _imds;

    public InstanceMetadataProviderTests() => _imds = new AwsFakeImds(_time);

    private InstanceMetadataProvider Provider(bool disableV1 = false, int attempts = 1)
    {
        var logger = new FakeLogger(_logs);
        var spec = new InstanceMetadataSpec(Endpoint, disableV1, TimeSpan.FromSeconds(1), attempts);
        return new InstanceMetadataProvider(() => new Ec2MetadataClient(new HttpClient(_imds), _tokens, spec, _time, logger), logger);
    }

    private async Task<CredentialUnavailableException> FailsAsync(InstanceMetadataProvider provider)
    {
        CredentialUnavailableException ex = (await provider.Invoking(p => p.FetchAsync(CancellationToken.None).AsTask())
            .Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ToString().Should().NotContain(AwsFakeImds.Secret).And.NotContain(AwsFakeImds.SessionToken).And.NotContain("secretpart");
        return ex;
    }

    [Fact]
    public async Task Fetch_DiscoversTheFirstRole_AndReadsTheCredential_WithOneTokenForBothGets()
    {
        CloudCredential credential = await Provider().FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("ASIAIMDSKEYID");
        credential.AccessKeySecret.Should().Be(AwsFakeImds.Secret);
        credential.SecurityToken.Should().Be(AwsFakeImds.SessionToken);
        credential.Expiration.Should().Be(new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero));
        credential.ProviderName.Should().Be("aws/instance_metadata");
        credential.StaticStability.Should().BeTrue();
        credential.WithProviderName("aws/default/instance_metadata").StaticStability.Should().BeTrue("a chain's rename keeps the mark");
        _imds.TokenPuts.Should().Be(1);
        _imds.V2Gets.Should().Be(2);
        _imds.V1Gets.Should().Be(0);
    }

    [Fact]
    public async Task Token_IsReusedAcrossFetches_AndRenewedFiveMinutesBeforeItsTtlEnds()
    {
        InstanceMetadataProvider provider = Provider();
        await provider.FetchAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(5) + TimeSpan.FromMinutes(54));
        await provider.FetchAsync(CancellationToken.None);
        _imds.TokenPuts.Should().Be(1);

        _time.Advance(TimeSpan.FromMinutes(1));
        await provider.FetchAsync(CancellationToken.None);
        _imds.TokenPuts.Should().Be(2);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    public async Task TokenPut403_404_405_FallsBackToV1_WhenAllowed(HttpStatusCode status)
    {
        _imds.TokenPutStatus = status;

        CloudCredential credential = await Provider().FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("ASIAIMDSKEYID");
        _imds.TokenPuts.Should().Be(1, "the refusal is remembered for the second GET");
        _imds.V1Gets.Should().Be(2);
        _logs.GetSnapshot().Should().Contain(r => r.Id.Id == 4601);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    public async Task TokenPut403_404_405_Fails_WhenV1IsDisabled(HttpStatusCode status)
    {
        _imds.TokenPutStatus = status;

        CredentialUnavailableException ex = await FailsAsync(Provider(disableV1: true));

        ex.Message.Should().Contain("AWS_EC2_METADATA_V1_DISABLED").And.Contain(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        ex.StatusCode.Should().Be(status);
        _imds.V1Gets.Should().Be(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TokenPut400_IsTerminal_WithOrWithoutV1(bool disableV1)
    {
        _imds.TokenPutStatus = HttpStatusCode.BadRequest;

        CredentialUnavailableException ex = await FailsAsync(Provider(disableV1));

        ex.Message.Should().Contain("400").And.Contain("no IMDSv1 fallback");
        _imds.V1Gets.Should().Be(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TokenPutTimeout_Fails_WithoutV1Fallback(bool disableV1)
    {
        _imds.TokenPutHangs = true;
        Task<CloudCredential> fetch = Provider(disableV1).FetchAsync(CancellationToken.None).AsTask();
        await Poll.UntilAsync(() => _imds.TokenPuts == 1, "the token PUT is in flight");

        _time.Advance(TimeSpan.FromSeconds(1));

        CredentialUnavailableException ex = (await fetch.Invoking(f => f).Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("timed out after 1 s (AWS_METADATA_SERVICE_TIMEOUT)").And.Contain("http-put-response-hop-limit");
        _imds.V1Gets.Should().Be(0);
    }

    [Fact]
    public async Task TokenPut500_IsRetriedUpToTheAttempts_ThenFails()
    {
        _imds.TokenPutStatus = HttpStatusCode.ServiceUnavailable;

        CredentialUnavailableException ex = await FailsAsync(Provider(attempts: 3));

        ex.Message.Should().Contain("503");
        _imds.TokenPuts.Should().Be(3);
        _imds.V1Gets.Should().Be(0);
    }

    [Fact]
    public async Task Get500_IsRetriedUpToTheAttempts()
    {
        _imds.FailGets = 2;

        CloudCredential credential = await Provider(attempts: 3).FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("ASIAIMDSKEYID");
        _imds.V2Gets.Should().Be(4);
    }

    [Fact]
    public async Task Get401_WithACachedToken_DropsIt_FetchesOneNewToken_AndRetriesTheGetOnce()
    {
        InstanceMetadataProvider provider = Provider();
        await provider.FetchAsync(CancellationToken.None);
        _imds.RejectTokenisedGets = 1;

        CloudCredential credential = await provider.FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("ASIAIMDSKEYID");
        _imds.TokenPuts.Should().Be(2);
        _logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 4602);
    }

    [Fact]
    public async Task Get401_Twice_Fails_AfterExactlyOneNewToken()
    {
        InstanceMetadataProvider provider = Provider();
        await provider.FetchAsync(CancellationToken.None);
        _imds.RejectTokenisedGets = 2;

        CredentialUnavailableException ex = await FailsAsync(provider);

        ex.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        _imds.TokenPuts.Should().Be(2);
    }

    [Fact]
    public async Task V1Get401_GoesBackToTokens_AtOnce()
    {
        InstanceMetadataProvider provider = Provider();
        _imds.TokenPutStatus = HttpStatusCode.Forbidden;
        await provider.FetchAsync(CancellationToken.None);
        _imds.TokenPutStatus = null;
        _imds.RequireToken = true;

        CloudCredential credential = await provider.FetchAsync(CancellationToken.None);

        credential.AccessKeyId.Should().Be("ASIAIMDSKEYID");
        _imds.TokenPuts.Should().Be(2);
        _logs.GetSnapshot().Should().Contain(r => r.Id.Id == 4603);
    }

    [Fact]
    public async Task NoRoleAttached_FailsNamingTheInstanceProfile()
    {
        _imds.RoleList = "\n";

        (await FailsAsync(Provider())).Message.Should().Contain("empty role list").And.Contain("instance profile");
    }

    [Fact]
    public async Task CodeOtherThanSuccess_Fails_WithTheCode_AndNoSecret()
    {
        _imds.CredentialBody = _imds.Body("AssumeRoleUnauthorizedAccess");

        CredentialUnavailableException ex = await FailsAsync(Provider());

        ex.Message.Should().Contain("AssumeRoleUnauthorizedAccess").And.Contain("app-role");
        ex.ErrorCode.Should().Be("AssumeRoleUnauthorizedAccess");
    }

    [Fact]
    public async Task MissingFields_FailNamingThem()
    {
        _imds.CredentialBody = """{"Code":"Success","AccessKeyId":"ASIAX","Expiration":"2026-01-01T06:00:00Z"}""";

        (await FailsAsync(Provider())).Message.Should().Contain("lacks SecretAccessKey, Token");
    }

    [Fact]
    public async Task NothingSecret_IsLogged()
    {
        InstanceMetadataProvider provider = Provider();
        await provider.FetchAsync(CancellationToken.None);
        _imds.RejectTokenisedGets = 1;
        await provider.FetchAsync(CancellationToken.None);

        string text = _logs.AllText();
        text.Should().NotContain(AwsFakeImds.Secret).And.NotContain(AwsFakeImds.SessionToken).And.NotContain("secretpart");
        _imds.IssuedTokens.Should().HaveCount(2);
    }
}
