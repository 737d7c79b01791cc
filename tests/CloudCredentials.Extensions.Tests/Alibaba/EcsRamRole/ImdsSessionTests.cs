using System.Net;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.EcsRamRole;

public sealed class ImdsSessionTests
{
    private static readonly Uri Base = new("http://127.0.0.1:5998/");
    private static readonly Uri Url = new(Base, "/latest/meta-data/anything");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ImdsTokenCache _cache = new();
    private readonly FakeLogger _logger = new();

    private ImdsSession Create(StubHandler stub) => new(new HttpClient(stub), _cache, _time, _logger);

    [Fact]
    public async Task GetAsync_TokenAccepted_ReturnsAnswerWithoutNoteAndKeepsToken()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, "tok-1", "text/plain").ThenStatus(HttpStatusCode.OK, "value");

        MetadataResponse response = await Create(stub).GetAsync(Base, Url, disableV1: false, CancellationToken.None);

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Body.Should().Be("value");
        response.Note.Should().BeEmpty();
        stub.Requests[1].Header(ImdsSession.TokenHeader).Should().Be("tok-1");
        _cache.TryGet(Base, _time.GetUtcNow())!.Value.Should().Be("tok-1");
    }

    [Fact]
    public async Task GetAsync_Tokenised403_DropsTokenAndFallsBackToV1WithNote()
    {
        var stub = new StubHandler()
            .ThenStatus(HttpStatusCode.OK, "tok-1", "text/plain")
            .ThenStatus(HttpStatusCode.Forbidden)
            .ThenStatus(HttpStatusCode.OK, "value");

        MetadataResponse response = await Create(stub).GetAsync(Base, Url, disableV1: false, CancellationToken.None);

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Note.Should().Be(" (without a token, after the IMDSv2 attempt failed: HTTP 403 (Forbidden))");
        stub.Requests.Should().HaveCount(3);
        stub.Requests[2].Header(ImdsSession.TokenHeader).Should().BeNull();
        _cache.TryGet(Base, _time.GetUtcNow()).Should().BeNull();
    }

    [Fact]
    public async Task GetAsync_TokenPutFailsWithV1Disabled_ThrowsWithoutAnyGet()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.Forbidden);

        Func<Task> act = () => Create(stub).GetAsync(Base, Url, disableV1: true, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("could not get an IMDSv2 session token").And.Contain("the IMDSv1 fallback is disabled");
        stub.Requests.Should().ContainSingle().Which.Method.Should().Be(HttpMethod.Put);
    }
}
