using System.Net;
using CloudCredentials.Alibaba.RamRoleArn;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Tests.Alibaba.Sts;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.RamRoleArn;

public sealed class RamRoleArnProviderTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:5996/");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();

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
