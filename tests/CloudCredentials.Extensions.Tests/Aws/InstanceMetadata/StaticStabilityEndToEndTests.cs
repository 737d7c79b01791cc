using System.Net;
using CloudCredentials.Aws.Container;
using CloudCredentials.Aws.InstanceMetadata;
using CloudCredentials.Tests.Caching;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using CredentialCache = CloudCredentials.Caching.CredentialCache;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Aws.InstanceMetadata;

/// <summary>Static stability through the real providers and the cache: IMDS and the container endpoint down or answering expired credentials.</summary>
public sealed class StaticStabilityEndToEndTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();

    private int Extensions => _logs.GetSnapshot().Count(r => r.Id.Id == 108);

    private CredentialCache Cache(ICredentialProvider provider) =>
        new("aws", provider, new CredentialRefreshOptions(), _time, new FakeLogger(_logs)) { Jitter = () => 0.0 };

    private InstanceMetadataProvider Imds(AwsFakeImds imds)
    {
        var spec = new InstanceMetadataSpec(new Uri("http://127.0.0.1:9/"), false, TimeSpan.FromSeconds(1), 1);
        return new InstanceMetadataProvider(() => new Ec2MetadataClient(new HttpClient(imds), new ImdsTokenCache(), spec, _time, NullLogger.Instance), NullLogger.Instance);
    }

    [Fact]
    public async Task Imds_DownPastExpiry_KeepsServing_WarnsOnce_AndRecovers()
    {
        var imds = new AwsFakeImds(_time) { Expiration = "2026-01-01T01:00:00Z" };
        await using CredentialCache cache = Cache(Imds(imds));
        CloudCredential first = await cache.GetCredentialAsync();
        imds.GetStatus = HttpStatusCode.ServiceUnavailable;
        _time.Advance(TimeSpan.FromMinutes(70));

        (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        Extensions.Should().Be(1);
        cache.NextRefreshAt.Should().Be(_time.GetUtcNow() + TimeSpan.FromMinutes(5));

        imds.GetStatus = null;
        imds.Expiration = "2026-01-01T08:00:00Z";
        _time.Advance(TimeSpan.FromMinutes(5));
        await cache.GetCredentialAsync();
        await cache.SettleAsync();
        (await cache.GetCredentialAsync()).Expiration.Should().Be(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero));
        _logs.AllText().Should().NotContain(AwsFakeImds.Secret).And.NotContain(AwsFakeImds.SessionToken).And.NotContain("secretpart");
    }

    [Fact]
    public async Task Imds_AnswersAnExpiredCredential_ItIsServed_AndAskedAgainOnlyAfterTheExtension()
    {
        var imds = new AwsFakeImds(_time) { Expiration = "2025-12-31T23:00:00Z" };
        await using CredentialCache cache = Cache(Imds(imds));

        for (int i = 0; i < 3; i++)
        {
            (await cache.GetCredentialAsync()).AccessKeyId.Should().Be("ASIAIMDSKEYID");
        }

        imds.V2Gets.Should().Be(2, "three requests with an expired credential call IMDS once (role + credential GETs)");
        Extensions.Should().Be(1);
    }

    [Fact]
    public async Task Container_DownPastExpiry_KeepsServing()
    {
        var stub = new StubHandler()
            .ThenStatus(HttpStatusCode.OK, """{"AccessKeyId":"ASIAC","SecretAccessKey":"ContainerSecretValue","Token":"ContainerTokenValue","Expiration":"2026-01-01T01:00:00Z"}""")
            .ThenStatus(HttpStatusCode.InternalServerError, "down");
        var spec = new ContainerSpec(new Uri("http://127.0.0.1:9/creds"), "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", null, null);
        await using CredentialCache cache = Cache(new ContainerProvider(spec, () => new HttpClient(stub), NullLogger.Instance));
        CloudCredential first = await cache.GetCredentialAsync();
        _time.Advance(TimeSpan.FromMinutes(70));

        (await cache.GetCredentialAsync()).Should().BeSameAs(first);
        Extensions.Should().Be(1);
        _logs.AllText().Should().NotContain("ContainerSecretValue").And.NotContain("ContainerTokenValue");
    }
}
