using CloudCredentials.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudCredentials.Samples.AwsFieldReports;

/// <summary>
/// Field report 2 (AWS SDK for C++, 100 pooled long-lived clients sending an expired IMDSv2 token): 100 pooled signed
/// clients on EC2 instance-role credentials keep working across the expiry of the metadata session token, and the
/// metadata service never sees an expired token.
/// </summary>
internal sealed class PooledClientsReport(StoryWriter story, DateTimeOffset start)
{
    public const int Clients = 100;
    private static readonly TimeSpan Round = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Duration = TimeSpan.FromHours(7);

    /// <summary>Gets the IMDSv2 token PUTs the emulator received during the run.</summary>
    public long TokenPuts { get; private set; }

    public async Task RunAsync()
    {
        story.Plain($"2. {Clients} pooled clients on EC2 instance metadata across an IMDSv2 token expiry (C++: \"The provided token has expired\")");
        var clock = new FakeClock(start);
        story.Clock = clock;
        var options = new EmulatorOptions { TimeProvider = clock.Time };
        options.Aws.ImdsV1Disabled = true; // HttpTokens=required: every metadata GET needs a valid token
        await using CloudEmulator emulator = await CloudEmulator.StartAsync(options);
        AwsEmulatorStats stats = emulator.Stats.Aws;
        using var env = new EnvironmentOverride(new Dictionary<string, string?> { ["AWS_EC2_METADATA_DISABLED"] = null });

        using IHost host = SampleHost.Build(clock, emulator.BaseAddress, new Dictionary<string, string?>
        {
            ["CloudCredentials:Cloud"] = "aws",
            ["CloudCredentials:Type"] = "instance_metadata",
            ["CloudCredentials:MetadataEndpoint"] = emulator.BaseAddress.ToString(),
            ["CloudCredentials:Refresh:WarmUpOnStart"] = "true",
        });
        await host.StartAsync();
        var factory = host.Services.GetRequiredService<IHttpClientFactory>();
        HttpClient[] pool = [.. Enumerable.Range(0, Clients).Select(_ => factory.CreateClient(SampleHost.StsClient))];
        story.Line($"IMDSv1 disabled on the emulator; {Clients} pooled signed HttpClients; each calls STS GetCallerIdentity every {Round.TotalMinutes:0} min for {Duration.TotalHours:0} h");
        story.Line("the metadata token lives 6 h (21600 s); instance-role credentials live 1 h and rotate in the background");

        int calls = 0, ok = 0;
        long putsSeen = stats.ImdsTokenPuts;
        story.Line($"IMDS token PUTs so far: {putsSeen} (host start)");
        while (clock.Elapsed < Duration)
        {
            StsAnswer[] answers = await Task.WhenAll(pool.Select(c => SampleHost.GetCallerIdentityAsync(c)));
            calls += answers.Length;
            ok += answers.Count(a => a.Status == 200);
            if (stats.ImdsTokenPuts != putsSeen)
            {
                story.Line($"IMDS token renewed (its reuse ends 5 min before the 6 h TTL): token PUTs {putsSeen} -> {stats.ImdsTokenPuts}; 401s so far {stats.ImdsUnauthorized}");
                putsSeen = stats.ImdsTokenPuts;
            }

            await clock.AdvanceAsync(Round);
        }

        await host.StopAsync();
        TokenPuts = stats.ImdsTokenPuts;
        story.Line($"emulator counters: token PUTs {stats.ImdsTokenPuts}, credential GETs {stats.ImdsCredentialsGets}, role-list GETs {stats.ImdsRoleListGets}, 401 answers {stats.ImdsUnauthorized}, GETs without token {stats.ImdsGetsWithoutToken}");
        story.Check(ok == calls, $"{ok}/{calls} signed GetCallerIdentity calls answered 200");
        story.Check(stats.ImdsUnauthorized == 0, $"no expired or unknown token reached the metadata service ({stats.ImdsUnauthorized} 401s)");
        story.Check(stats.ImdsTokenPuts == 2, $"{stats.ImdsTokenPuts} IMDS token PUTs in {Duration.TotalHours:0} h for {Clients} clients: one at start, one renewal 5 min before the 6 h TTL");
    }
}
