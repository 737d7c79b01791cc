using System.Globalization;
using CloudCredentials.Aws.InstanceMetadata;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace CloudCredentials.Tests.Aws.InstanceMetadata;

/// <summary>
/// Field report 9b (C++ pooled clients sending an expired IMDSv2 token), made impossible: 100 pooled clients share one
/// token per endpoint; a token expiry or a revocation costs exactly one PUT, and no GET is sent with an expired token.
/// </summary>
public sealed class ImdsTokenSharingTests(ITestOutputHelper output)
{
    private const int Clients = 100;
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ImdsTokenCache _tokens = new();

    // 100 providers, as 100 pooled clients or registrations would have, all on the process-wide token cache.
    private InstanceMetadataProvider[] Pool(AwsFakeImds imds)
    {
        var spec = new InstanceMetadataSpec(Endpoint, DisableV1: true, TimeSpan.FromSeconds(1), 1);
        return Enumerable.Range(0, Clients)
            .Select(_ => new InstanceMetadataProvider(() => new Ec2MetadataClient(new HttpClient(imds), _tokens, spec, _time, NullLogger.Instance), NullLogger.Instance))
            .ToArray();
    }

    private static Task<CloudCredential[]> AllFetchAsync(InstanceMetadataProvider[] pool) =>
        Task.WhenAll(pool.Select(p => Task.Run(() => p.FetchAsync(CancellationToken.None).AsTask())));

    [Fact]
    public async Task HundredCallersAcrossATokenRevocation_OnePut_AndAllSucceed()
    {
        var imds = new AwsFakeImds(_time);
        InstanceMetadataProvider[] pool = Pool(imds);
        await pool[0].FetchAsync(CancellationToken.None);
        imds.RevokeTokens();
        imds.PutGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<CloudCredential[]> all = AllFetchAsync(pool);
        await Poll.UntilAsync(() => imds.TokenPuts == 2, "a 401 dropped the token and the new PUT is in flight");
        await Task.Delay(200); // let the other callers meet the 401 or the dropped token and queue behind the PUT (not an expiry wait)
        imds.PutGate.SetResult();
        CloudCredential[] credentials = await all;

        credentials.Should().HaveCount(Clients).And.OnlyContain(c => c.AccessKeyId == "ASIAIMDSKEYID");
        imds.Unauthorized.Should().BeInRange(1, Clients, "each caller meets a 401 at most once");
        imds.TokenPuts.Should().Be(2, "one initial PUT and exactly one for all 100 callers after the revocation");
    }

    [Fact]
    public async Task HundredCallersAcrossATokenExpiry_OnePut_NoExpiredTokenSent()
    {
        var imds = new AwsFakeImds(_time);
        InstanceMetadataProvider[] pool = Pool(imds);
        await pool[0].FetchAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(6) - TimeSpan.FromMinutes(5)); // the token's reuse ends (5 min before its TTL)
        imds.PutGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<CloudCredential[]> all = AllFetchAsync(pool);
        await Poll.UntilAsync(() => imds.TokenPuts == 2, "the renewal PUT is in flight");
        await Task.Delay(200); // let the other callers queue behind it (not an expiry wait)
        imds.PutGate.SetResult();
        await all;

        imds.TokenPuts.Should().Be(2);
        imds.Unauthorized.Should().Be(0, "no GET carried an expired token");
    }

    [Fact]
    public async Task ShorterGrantedTtl_TokenRenewedBeforeItEnds_NoExpiredTokenSent()
    {
        // The service grants 120 s instead of the 6 h asked for and says so in its TTL header: the token is renewed
        // halfway (60 s), so no GET carries a token the service has already forgotten.
        var imds = new AwsFakeImds(_time) { MaxTokenTtl = 120 };
        InstanceMetadataProvider[] pool = Pool(imds);
        await pool[0].FetchAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(90));

        await AllFetchAsync(pool);

        imds.TokenPuts.Should().Be(2, "one PUT at start and one renewal for all 100 callers");
        imds.Unauthorized.Should().Be(0, "the token was renewed before the granted 120 s ended");
    }

    [Fact]
    public async Task HundredCallersBehindAFailingPut_ShareItsFailure_OnePut()
    {
        var imds = new AwsFakeImds(_time) { TokenPutStatus = System.Net.HttpStatusCode.BadRequest };
        InstanceMetadataProvider[] pool = Pool(imds);
        imds.PutGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<CloudCredential>[] calls = pool.Select(p => Task.Run(() => p.FetchAsync(CancellationToken.None).AsTask())).ToArray();
        await Poll.UntilAsync(() => imds.TokenPuts == 1, "the PUT is in flight");
        await Task.Delay(200); // let the other callers queue behind it (not an expiry wait)
        imds.PutGate.SetResult();
        await Task.WhenAll(calls).ContinueWith(_ => { }, TaskScheduler.Default);

        calls.Should().OnlyContain(c => c.IsFaulted && c.Exception!.InnerException is CredentialUnavailableException);
        imds.TokenPuts.Should().BeLessThan(Clients / 2, "callers that queued behind the failing PUT share its failure");
    }

    [Fact]
    public async Task SimulatedHourAcrossATokenExpiry_HundredCallersEveryMinute_OneTokenPut()
    {
        var imds = new AwsFakeImds(_time);
        InstanceMetadataProvider[] pool = Pool(imds);
        await pool[0].FetchAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(5) + TimeSpan.FromMinutes(30)); // the hour spans the token's renewal (5 h 55 min) and TTL end (6 h)
        int putsBefore = imds.TokenPuts;
        int fetches = 0;

        for (int minute = 0; minute < 60; minute++)
        {
            fetches += (await AllFetchAsync(pool)).Length;
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        int puts = imds.TokenPuts - putsBefore;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"IMDS token PUTs in a simulated hour, {Clients} concurrent callers every minute across a token expiry: {puts} ({fetches} credential fetches, {imds.V2Gets} GETs, {imds.Unauthorized} answered 401)"));
        puts.Should().Be(1);
        imds.Unauthorized.Should().Be(0);
        fetches.Should().Be(Clients * 60);
    }
}
