using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CloudCredentials.Emulator.Tests.TestSupport;

namespace CloudCredentials.Emulator.Tests;

public class FaultInjectionTests
{
    [Fact]
    public async Task StatusFault_CountTwo_FailsTwoRequestsThenAnswersNormally()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.CredentialsUri, EmulatorFault.Status(503, "{\"Code\":\"Throttled\"}"), count: 2);

        var statuses = new List<HttpStatusCode>();
        string? firstBody = null;
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await ctx.Client.GetAsync(ctx.Emulator.CredentialsUri);
            statuses.Add(response.StatusCode);
            firstBody ??= await response.Content.ReadAsStringAsync();
        }

        statuses.Should().Equal(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        firstBody.Should().Be("{\"Code\":\"Throttled\"}");
        ctx.Emulator.Stats.FaultsServed.Should().Be(2);
        ctx.Emulator.Stats.CredentialsUriGets.Should().Be(3);
    }

    [Fact]
    public async Task Faults_QueueInOrderPerServiceOnly()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.MetadataToken, EmulatorFault.Status(500));
        ctx.Emulator.InjectFault(EmulatorService.MetadataToken, EmulatorFault.Status(404));

        using HttpResponseMessage uri = await ctx.Client.GetAsync(ctx.Emulator.CredentialsUri);
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/latest/api/token");
            request.Headers.Add("X-aliyun-ecs-metadata-token-ttl-seconds", "21600");
            using HttpResponseMessage response = await ctx.Client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        uri.StatusCode.Should().Be(HttpStatusCode.OK);
        statuses.Should().Equal(HttpStatusCode.InternalServerError, HttpStatusCode.NotFound, HttpStatusCode.OK);
    }

    [Fact]
    public async Task GarbageFault_Returns200Html()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.MetadataCredentials, EmulatorFault.Garbage());

        using HttpResponseMessage response = await ctx.GetMetadataAsync("/latest/meta-data/ram/security-credentials/EmulatorRole", token: null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Be("<html>oops</html>");
    }

    [Fact]
    public async Task StsErrorFault_ReturnsPopErrorJson()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.StsError(403, "NoPermission", "You are not authorized to do this action."));

        using HttpRequestMessage request = StsRequestFactory.Signed(
            HttpMethod.Post, StsRequestFactory.CommonParameters(ctx.Time.GetUtcNow()), StsRequestFactory.AssumeRoleParameters());
        using HttpResponseMessage response = await ctx.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        JsonObject json = await EmulatorTestContext.ReadJsonAsync(response);
        json.Select(p => p.Key).Should().BeEquivalentTo(["RequestId", "HostId", "Code", "Message", "Recommend"]);
        json["Code"]!.GetValue<string>().Should().Be("NoPermission");
        json["Message"]!.GetValue<string>().Should().Be("You are not authorized to do this action.");
        ctx.Emulator.Stats.StsAssumeRole.Should().Be(1, "faulted requests are still counted");
    }

    [Fact]
    public async Task DelayFault_ClientTimesOut_ThenNextRequestIsImmediate()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.MetadataRoleList, EmulatorFault.Delay(TimeSpan.FromSeconds(30)));
        using var cancel = new CancellationTokenSource();
        Task slow = ctx.Client.GetAsync("/latest/meta-data/ram/security-credentials/", cancel.Token);

        // Give up only once the emulator holds the request in its delay (a fixed client timeout could fire before the
        // request arrived on a loaded machine, leaving the fault for the next request).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (ctx.Emulator.Stats.FaultsServed == 0)
        {
            await Task.Delay(5, deadline.Token);
        }

        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => slow).Should().ThrowAsync<OperationCanceledException>();
        using HttpResponseMessage next = await ctx.Client.GetAsync("/latest/meta-data/ram/security-credentials/");
        next.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DelayFault_Short_AnswersNormallyAfterTheDelay()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.CredentialsUri, EmulatorFault.Delay(TimeSpan.FromMilliseconds(150)));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        using HttpResponseMessage response = await ctx.Client.GetAsync(ctx.Emulator.CredentialsUri);

        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(140));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DropFault_AbortsConnection()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.CredentialsUri, EmulatorFault.Drop());

        Func<Task> dropped = () => ctx.Client.GetAsync(ctx.Emulator.CredentialsUri);

        await dropped.Should().ThrowAsync<HttpRequestException>();
        using HttpResponseMessage next = await ctx.Client.GetAsync(ctx.Emulator.CredentialsUri);
        next.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ClearFaults_RemovesQueuedFaults()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        ctx.Emulator.InjectFault(EmulatorService.CredentialsUri, EmulatorFault.Status(500), count: 5);

        ctx.Emulator.ClearFaults();
        using HttpResponseMessage response = await ctx.Client.GetAsync(ctx.Emulator.CredentialsUri);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void Factories_InvalidArguments_Throw()
    {
        FluentActions.Invoking(() => EmulatorFault.Status(99)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => EmulatorFault.Delay(TimeSpan.FromSeconds(-1))).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => EmulatorFault.StsError(400, string.Empty, "m")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task InjectFault_CountBelowOne_Throws()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        FluentActions.Invoking(() => ctx.Emulator.InjectFault(EmulatorService.Sts, EmulatorFault.Drop(), count: 0))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task ControlEndpoint_PostFaultsThenStatsThenDelete()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage added = await ctx.Client.PostAsync(
            "/_emulator/faults", new StringContent("""{"service":"credentialsUri","status":502,"body":"bad gateway","count":2}""", Encoding.UTF8, "application/json"));
        using HttpResponseMessage faulted = await ctx.Client.GetAsync(ctx.Emulator.CredentialsUri);
        using HttpResponseMessage cleared = await ctx.Client.DeleteAsync("/_emulator/faults");
        using HttpResponseMessage normal = await ctx.Client.GetAsync(ctx.Emulator.CredentialsUri);
        using HttpResponseMessage stats = await ctx.Client.GetAsync("/_emulator/stats");

        added.StatusCode.Should().Be(HttpStatusCode.OK);
        faulted.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await faulted.Content.ReadAsStringAsync()).Should().Be("bad gateway");
        cleared.StatusCode.Should().Be(HttpStatusCode.NoContent);
        normal.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonObject json = await EmulatorTestContext.ReadJsonAsync(stats);
        json["credentialsUriGets"]!.GetValue<long>().Should().Be(2);
        json["faultsServed"]!.GetValue<long>().Should().Be(1);
    }

    [Theory]
    [InlineData("""{"service":"sts","delayMs":5}""", "Delay(5 ms)")]
    [InlineData("""{"service":"Sts","code":"Throttling","message":"slow down","status":429}""", "StsError(429, Throttling)")]
    [InlineData("""{"service":"MetadataToken","kind":"drop"}""", "Drop")]
    [InlineData("""{"service":"MetadataRoleList","kind":"garbage"}""", "Garbage")]
    public async Task ControlEndpoint_FaultKinds_Parsed(string body, string expected)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await ctx.Client.PostAsync("/_emulator/faults", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await EmulatorTestContext.ReadJsonAsync(response))["fault"]!.GetValue<string>().Should().Be(expected);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"service":"Nope","status":500}""")]
    [InlineData("""{"service":"Sts"}""")]
    [InlineData("""{"service":"Sts","status":500,"count":0}""")]
    [InlineData("""{"service":"Sts","status":"x"}""")]
    public async Task ControlEndpoint_InvalidFault_Returns400(string body)
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();

        using HttpResponseMessage response = await ctx.Client.PostAsync("/_emulator/faults", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await EmulatorTestContext.ReadJsonAsync(response))["error"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }
}
