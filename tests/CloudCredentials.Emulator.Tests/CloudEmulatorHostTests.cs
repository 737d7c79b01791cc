using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CloudCredentials.Emulator.Tests.TestSupport;

namespace CloudCredentials.Emulator.Tests;

public class CloudEmulatorHostTests
{
    [Fact]
    public async Task StartAsync_PortZero_ListensOnLoopbackWithRealPort()
    {
        await using CloudEmulator emulator = await CloudEmulator.StartAsync();

        emulator.BaseAddress.Host.Should().Be("127.0.0.1");
        emulator.BaseAddress.Port.Should().BeGreaterThan(0);
        emulator.CredentialsUri.Should().Be(new Uri(emulator.BaseAddress, "/credentials"));
        using var client = new HttpClient();
        using HttpResponseMessage response = await client.GetAsync(emulator.CredentialsUri);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsIOException()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Func<Task> start = () => CloudEmulator.StartAsync(new EmulatorOptions { Port = port });

        await start.Should().ThrowAsync<IOException>();
    }

    [Theory]
    [InlineData("credentials")]
    [InlineData("/")]
    [InlineData("/latest/creds")]
    [InlineData("/_emulator/x")]
    public async Task StartAsync_InvalidCredentialsPath_ThrowsArgumentException(string path)
    {
        Func<Task> start = () => CloudEmulator.StartAsync(new EmulatorOptions { CredentialsUriPath = path });

        await start.Should().ThrowAsync<ArgumentException>().WithParameterName("CredentialsUriPath");
    }

    [Fact]
    public async Task StartAsync_ZeroLifetime_ThrowsArgumentException()
    {
        Func<Task> start = () => CloudEmulator.StartAsync(new EmulatorOptions { CredentialLifetime = TimeSpan.Zero });

        await start.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task StopAsync_Twice_IsSafeAndStopsListening()
    {
        CloudEmulator emulator = await CloudEmulator.StartAsync();
        Uri uri = emulator.CredentialsUri;

        await emulator.StopAsync();
        await emulator.StopAsync();
        await emulator.DisposeAsync();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        Func<Task> call = () => client.GetAsync(uri);
        await call.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task StopAsync_WhileDelayFaultPending_ReturnsQuickly()
    {
        CloudEmulator emulator = await CloudEmulator.StartAsync();
        emulator.InjectFault(EmulatorService.CredentialsUri, EmulatorFault.Delay(TimeSpan.FromMinutes(5)));
        using var client = new HttpClient();
        Task<HttpResponseMessage> pending = client.GetAsync(emulator.CredentialsUri);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (emulator.Stats.FaultsServed == 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(5);
        }

        emulator.Stats.FaultsServed.Should().Be(1);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await emulator.DisposeAsync();

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "the 5-minute delay fault must not hold the shutdown");
        Func<Task> aborted = () => pending;
        await aborted.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task Options_ChangedAfterStart_HaveNoEffect()
    {
        var options = new EmulatorOptions { RoleName = "First" };
        await using CloudEmulator emulator = await CloudEmulator.StartAsync(options);
        options.RoleName = "Second";
        options.AccessKeys.Clear();

        using var client = new HttpClient { BaseAddress = emulator.BaseAddress };
        (await client.GetStringAsync("/latest/meta-data/ram/security-credentials/")).Should().Be("First");
    }

    [Fact]
    public async Task Stats_Reset_ZeroesCounters()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        using HttpResponseMessage response = await ctx.Client.GetAsync(ctx.Emulator.CredentialsUri);

        ctx.Emulator.Stats.Reset();

        ctx.Emulator.Stats.CredentialsUriGets.Should().Be(0);
        ctx.Emulator.Stats.CredentialsIssued.Should().Be(0);
        ctx.Emulator.Stats.LastStsParameters.Should().BeEmpty();
    }

    [Fact]
    public async Task RequestLogAndStatsJson_NeverContainIssuedSecretsOrTokens()
    {
        await using EmulatorTestContext ctx = await EmulatorTestContext.StartAsync();
        var secrets = new List<string>();

        string imdsToken = await ctx.PutTokenAsync();
        secrets.Add(imdsToken);
        using (HttpResponseMessage ecs = await ctx.GetMetadataAsync("/latest/meta-data/ram/security-credentials/EmulatorRole", imdsToken))
        {
            secrets.AddRange(Secrets(await EmulatorTestContext.ReadJsonAsync(ecs)));
        }

        JsonObject uri;
        using (HttpResponseMessage uriResponse = await ctx.Client.GetAsync(ctx.Emulator.CredentialsUri))
        {
            uri = await EmulatorTestContext.ReadJsonAsync(uriResponse);
            secrets.AddRange(Secrets(uri));
        }

        // A chained AssumeRole sent as GET puts the SecurityToken in the query string.
        List<KeyValuePair<string, string>> common = StsRequestFactory.CommonParameters(
            ctx.Time.GetUtcNow(), uri["AccessKeyId"]!.GetValue<string>(), uri["SecurityToken"]!.GetValue<string>());
        using HttpRequestMessage chained = StsRequestFactory.Signed(
            HttpMethod.Get, common, StsRequestFactory.AssumeRoleParameters(), uri["AccessKeySecret"]!.GetValue<string>());
        using (HttpResponseMessage sts = await ctx.Client.SendAsync(chained))
        {
            sts.StatusCode.Should().Be(HttpStatusCode.OK);
            secrets.AddRange(Secrets((JsonObject)(await EmulatorTestContext.ReadJsonAsync(sts))["Credentials"]!));
        }

        secrets.Add(ctx.Emulator.Stats.LastStsParameters["Signature"]);
        using HttpResponseMessage stats = await ctx.Client.GetAsync("/_emulator/stats");
        string statsJson = await stats.Content.ReadAsStringAsync();
        string log;
        lock (ctx.RequestLog)
        {
            log = string.Join('\n', ctx.RequestLog);
        }

        log.Should().Contain("/latest/api/token").And.Contain("STS AssumeRole");
        statsJson.Should().Contain("<redacted>");
        foreach (string secret in secrets.Append(EmulatorOptions.DefaultAccessKeySecret))
        {
            log.Should().NotContain(secret);
            statsJson.Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task Banner_PrintsEndpointsAndOnlyTheMarkedDemoPair()
    {
        var options = new EmulatorOptions();
        await using CloudEmulator emulator = await CloudEmulator.StartAsync(options);

        string banner = Program.Banner(emulator, options);

        string baseAddress = emulator.BaseAddress.GetLeftPart(UriPartial.Authority);
        banner.Should().Contain("\"StsEndpoint\": \"" + baseAddress + "\"")
            .And.Contain("\"MetadataEndpoint\": \"" + baseAddress + "\"")
            .And.Contain(emulator.CredentialsUri.ToString())
            .And.Contain(EmulatorOptions.DefaultAccessKeyId)
            .And.Contain(EmulatorOptions.DefaultAccessKeySecret)
            .And.Contain("EMULATOR-ONLY FAKE CREDENTIALS");
    }

    private static IEnumerable<string> Secrets(JsonObject credential) =>
        [credential["AccessKeySecret"]!.GetValue<string>(), credential["SecurityToken"]!.GetValue<string>()];
}
