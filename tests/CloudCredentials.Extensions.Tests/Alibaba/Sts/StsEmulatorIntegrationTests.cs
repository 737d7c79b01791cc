using System.Net.Sockets;
using System.Net;
using CloudCredentials.Emulator;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.Sts;

/// <summary>RAM role ARN and OIDC through IHttpClientFactory, the resilience handler and the emulator's STS.</summary>
public sealed class StsEmulatorIntegrationTests
{
    [Fact]
    public async Task RamRoleArn_SignedWithEmulatorKey_ReturnsSessionCredential()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();

        CloudCredential credential = await h.FetchAsync(h.RamRoleArn());

        credential.Type.Should().Be("ram_role_arn");
        credential.ProviderName.Should().Be("ram_role_arn/static_ak");
        credential.AccessKeyId.Should().StartWith("STS.");
        credential.SecurityToken.Should().NotBeNullOrEmpty();
        credential.Expiration.Should().Be(h.Time.GetUtcNow() + TimeSpan.FromHours(1));
        h.Emulator.Stats.StsAssumeRole.Should().Be(1);
        h.Emulator.Stats.LastStsMethod.Should().Be("POST");
        h.Emulator.Stats.LastStsFormParameters.Should().ContainKey("RoleArn");
        h.Emulator.Stats.LastStsQueryParameters.Should().ContainKey("Signature").And.NotContainKey("RoleArn");
    }

    [Fact]
    public async Task RamRoleArn_ChainedRole_SignsWithFreshSessionCredentialIncludingToken()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        var first = new SourceFromProvider(h.RamRoleArn());

        CloudCredential second = await h.FetchAsync(h.RamRoleArn(signing: first));
        await h.FetchAsync(h.RamRoleArn(signing: first));

        second.ProviderName.Should().Be("ram_role_arn/ram_role_arn/static_ak");
        first.Calls.Should().Be(2, "the signing source is asked on every fetch");
        h.Emulator.Stats.StsAssumeRole.Should().Be(4);
        h.Emulator.Stats.LastStsQueryParameters.Should().ContainKey("SecurityToken");
        h.Emulator.Stats.SignatureFailures.Should().Be(0);
    }

    [Fact]
    public async Task RamRoleArn_InvalidParameterFromSts_NoRetryAndClearMessage()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.RamRoleArn(durationSeconds: 100));

        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        ex.ErrorCode.Should().Be("InvalidParameter.DurationSeconds");
        ex.RequestId.Should().NotBeNullOrEmpty();
        ex.Message.Should().StartWith("ram_role_arn: STS AssumeRole at " + h.Emulator.BaseAddress)
            .And.Contain("400").And.Contain("InvalidParameter.DurationSeconds").And.Contain(ex.RequestId!).And.Contain("RoleSessionExpiration");
        h.Emulator.Stats.StsRequests.Should().Be(1);
    }

    [Theory]
    [InlineData(400, "InvalidParameter", "RoleSessionName")]
    [InlineData(403, "NoPermission", "trust policy")]
    [InlineData(404, "EntityNotExist.Role", EmulatorFixture.RoleArn)]
    public async Task RamRoleArn_ClientErrorFromSts_NotRetriedAndNamed(int status, string code, string hint)
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.StsError(status, code, "Upstream says no."), count: 5);

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.RamRoleArn());

        ex.ProviderName.Should().Be("ram_role_arn");
        ex.Endpoint.Should().Be(h.Emulator.BaseAddress.ToString());
        ex.StatusCode.Should().Be((HttpStatusCode)status);
        ex.ErrorCode.Should().Be(code);
        ex.RequestId.Should().NotBeNullOrEmpty();
        ex.Message.Should().Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain(code).And.Contain("Upstream says no.").And.Contain(hint);
        h.Emulator.Stats.StsRequests.Should().Be(1);
    }

    [Theory]
    [InlineData(429, "Throttling.User")]
    [InlineData(500, "InternalError")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task RamRoleArn_TransientErrorOnce_RetriedWithFreshNonceAndSucceeds(int status, string code)
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.StsError(status, code, "try later"), count: 1);

        CloudCredential credential = await h.FetchAsync(h.RamRoleArn());

        credential.AccessKeyId.Should().StartWith("STS.");
        h.Emulator.Stats.StsRequests.Should().Be(2);
        h.Emulator.Stats.StsAssumeRole.Should().Be(2);
        h.Logs.AllText().Should().Contain("Retrying POST");
    }

    [Theory]
    [InlineData(429, "Throttling.User", "throttling")]
    [InlineData(500, "InternalError", "unavailable")]
    [InlineData(503, "ServiceUnavailable", "unavailable")]
    public async Task RamRoleArn_TransientErrorPersists_FailsAfterRetriesWithCode(int status, string code, string hint)
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.StsError(status, code, "try later"), count: 10);

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.RamRoleArn());

        ex.StatusCode.Should().Be((HttpStatusCode)status);
        ex.ErrorCode.Should().Be(code);
        ex.Message.Should().Contain(code).And.Contain(hint);
        h.Emulator.Stats.StsRequests.Should().Be(1 + EmulatorFixture.Fast.MaxRetryAttempts);
    }

    [Fact]
    public async Task RamRoleArn_StsSlowOnce_AttemptTimesOutAndRetrySucceeds()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync(settings: EmulatorFixture.Short with { AttemptTimeout = TimeSpan.FromSeconds(1) });
        h.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.Delay(TimeSpan.FromSeconds(3)), count: 1);

        CloudCredential credential = await h.FetchAsync(h.RamRoleArn());

        credential.AccessKeyId.Should().StartWith("STS.");
        h.Emulator.Stats.StsRequests.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task RamRoleArn_StsAlwaysSlow_FailsNamingTimeout()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync(settings: EmulatorFixture.Short);
        h.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.Delay(TimeSpan.FromSeconds(3)), count: 10);

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.RamRoleArn());

        ex.Message.Should().Contain("could not call STS AssumeRole at " + h.Emulator.BaseAddress).And.Contain("per-attempt timeout of 0.2 s").And.Contain("3 attempt(s)");
        ex.InnerException.Should().BeOfType<TimeoutException>();
    }

    [Fact]
    public async Task RamRoleArn_ConnectionRefused_FailsNamingEndpoint()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var endpoint = new Uri($"http://127.0.0.1:{port}/");

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.RamRoleArn(endpoint: endpoint));

        ex.Endpoint.Should().Be(endpoint.ToString());
        ex.Message.Should().Contain($"could not call STS AssumeRole at http://127.0.0.1:{port}/").And.Contain("ConnectionError").And.Contain("StsEndpoint");
    }

    [Fact]
    public async Task RamRoleArn_ConnectionDroppedOnce_Retried()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.Drop(), count: 1);

        await h.FetchAsync(h.RamRoleArn());

        h.Emulator.Stats.StsRequests.Should().Be(2);
    }

    [Fact]
    public async Task RamRoleArn_HtmlInsteadOfJson_FailsClearly()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.Garbage("<html><body>Please log in</body></html>"));

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.RamRoleArn());

        ex.StatusCode.Should().Be(HttpStatusCode.OK);
        ex.Message.Should().Contain("not JSON").And.Contain("a text/html body of 39 characters").And.NotContain("Please log in");
        h.Emulator.Stats.StsRequests.Should().Be(1);
    }

    [Fact]
    public async Task RamRoleArn_JsonWithoutCredentials_FailsClearly()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.Status(200, """{"RequestId":"R-1","AssumedRoleUser":{}}"""));

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.RamRoleArn());

        ex.RequestId.Should().Be("R-1");
        ex.Message.Should().Contain("no Credentials object").And.Contain("R-1");
    }

    [Fact]
    public async Task RamRoleArn_ExpiredExpiration_ReturnedForTheCacheToReject()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.Status(
            200,
            """{"RequestId":"R-2","Credentials":{"AccessKeyId":"STS.old","AccessKeySecret":"OldSecretValue","SecurityToken":"OldTokenValue","Expiration":"2020-01-01T00:00:00Z"}}"""));
        h.Secrets.AddRange(["OldSecretValue", "OldTokenValue"]);

        CloudCredential credential = await h.FetchAsync(h.RamRoleArn());

        credential.Expiration.Should().Be(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        credential.Expiration.Should().BeBefore(h.Time.GetUtcNow());
    }

    [Fact]
    public async Task RamRoleArn_UnparsableExpiration_FailsClearly()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.Status(
            200,
            """{"RequestId":"R-3","Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"XSecretValue","SecurityToken":"XTokenValue","Expiration":"01/05/2026 10:00"}}"""));
        h.Secrets.AddRange(["XSecretValue", "XTokenValue"]);

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.RamRoleArn());

        ex.Message.Should().Contain("'01/05/2026 10:00' is not a UTC time").And.Contain("R-3");
    }

    [Fact]
    public async Task RamRoleArn_WrongSecret_SaysTheSecretIsWrong()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Secrets.Add("WrongSecretValue");

        CredentialUnavailableException ex = await h.FetchFailsAsync(
            h.RamRoleArn(signing: StaticSource.AccessKey(EmulatorOptions.DefaultAccessKeyId, "WrongSecretValue")));

        ex.ErrorCode.Should().Be("SignatureDoesNotMatch");
        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        ex.Message.Should().Contain("the AccessKey secret is wrong").And.Contain("AccessKeySecret").And.Contain("LTAI***");
        h.Emulator.Stats.SignatureFailures.Should().Be(1);
    }

    [Fact]
    public async Task RamRoleArn_WrongSecretOfChainedSessionCredential_NeverQuotesTheToken()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        CloudCredential session = await h.FetchAsync(h.RamRoleArn());
        var tampered = new CloudCredential(CredentialTypes.Sts, "static_sts")
        {
            AccessKeyId = session.AccessKeyId,
            AccessKeySecret = "TamperedSecretValue",
            SecurityToken = session.SecurityToken,
        };
        h.Secrets.Add("TamperedSecretValue");

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.RamRoleArn(signing: new StaticSource(tampered)));

        ex.ErrorCode.Should().Be("SignatureDoesNotMatch");
        ex.Message.Should().Contain("the AccessKey secret is wrong");
    }

    [Fact]
    public async Task RamRoleArn_UnknownAccessKey_FailsWith404Code()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.RamRoleArn(signing: StaticSource.AccessKey("LTAIunknown", "SomeSecretValue")));

        ex.StatusCode.Should().Be(HttpStatusCode.NotFound);
        ex.ErrorCode.Should().Be("InvalidAccessKeyId.NotFound");
    }

    [Fact]
    public async Task OidcRoleArn_TokenFile_ReturnsCredentialAndNeverLeaksToken()
    {
        string dir = Directory.CreateTempSubdirectory("cc-oidc-").FullName;
        try
        {
            string file = Path.Combine(dir, "token");
            const string Token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.oidc-secret-signature";
            await File.WriteAllTextAsync(file, Token + "\n");
            await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync(o => o.OidcTokenValidator = t => t == Token);
            h.Secrets.Add(Token);

            CloudCredential credential = await h.FetchAsync(h.OidcRoleArn(file));

            credential.Type.Should().Be("oidc_role_arn");
            credential.ProviderName.Should().Be("oidc_role_arn");
            h.Emulator.Stats.StsAssumeRoleWithOidc.Should().Be(1);
            h.Emulator.Stats.LastStsQueryParameters.Should().NotContainKeys("OIDCToken", "Signature", "AccessKeyId");

            await File.WriteAllTextAsync(file, "rotated-token-value");
            CredentialUnavailableException ex = await h.FetchFailsAsync(h.OidcRoleArn(file));
            ex.ErrorCode.Should().Be("AuthenticationFail.OIDCToken.Invalid");
            ex.Message.Should().Contain("oidc_role_arn").And.NotContain("rotated-token-value");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class SourceFromProvider(ICredentialProvider provider) : ICredentialSource
    {
        public int Calls { get; private set; }

        public ValueTask<CloudCredential> GetCredentialAsync(CancellationToken cancellationToken = default)
        {
            Calls++;
            return provider.FetchAsync(cancellationToken);
        }
    }
}
