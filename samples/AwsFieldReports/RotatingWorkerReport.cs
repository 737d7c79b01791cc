using CloudCredentials.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudCredentials.Samples.AwsFieldReports;

/// <summary>
/// Field report 3 (AWS SDK for Java v1, a credential captured once): a long-running worker that asks
/// <see cref="ICredentialSource"/> on every use (through the signing handler) keeps working across three rotations of
/// an assumed role's credentials; a client that captured the first credential gets <c>ExpiredToken</c> from STS.
/// </summary>
internal sealed class RotatingWorkerReport(StoryWriter story, DateTimeOffset start)
{
    private const string RoleArn = "arn:aws:iam::" + AwsEmulatorOptions.AccountId + ":role/worker";
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Duration = TimeSpan.FromHours(3);

    public async Task RunAsync()
    {
        story.Plain("3. A long-running worker across three credential rotations (Java v1: \"The security token included in the request is expired\")");
        var clock = new FakeClock(start);
        story.Clock = clock;
        await using CloudEmulator emulator = await CloudEmulator.StartAsync(new EmulatorOptions { TimeProvider = clock.Time });
        using var env = new EnvironmentOverride();
        using IHost host = SampleHost.Build(clock, emulator.BaseAddress, new Dictionary<string, string?>
        {
            ["CloudCredentials:Cloud"] = "aws",
            ["CloudCredentials:Type"] = "assume_role",
            ["CloudCredentials:RoleArn"] = RoleArn,
            ["CloudCredentials:RoleSessionName"] = "field-report-worker",
            ["CloudCredentials:AccessKeyId"] = AwsEmulatorOptions.DefaultAccessKeyId,
            ["CloudCredentials:AccessKeySecret"] = AwsEmulatorOptions.DefaultSecretAccessKey,
            ["CloudCredentials:StsEndpoint"] = emulator.BaseAddress.ToString(),
            ["CloudCredentials:Region"] = "us-east-1",
            ["CloudCredentials:Refresh:WarmUpOnStart"] = "true",
        });
        await host.StartAsync();
        var source = host.Services.GetRequiredService<ICredentialSource>();
        HttpClient worker = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(SampleHost.StsClient);
        using var unsigned = new HttpClient { BaseAddress = emulator.BaseAddress };
        CapturedOnceClient captured = await CapturedOnceClient.CreateAsync(source, unsigned, clock.Time);
        story.Line($"assume_role {RoleArn}, 1 h sessions; the worker calls GetCallerIdentity every {Tick.TotalMinutes:0} min for {Duration.TotalHours:0} h");
        story.Line($"the captured-once client took key {captured.KeyId} at start and signs with it forever");

        var keys = new List<string>();
        int calls = 0, ok = 0, capturedOk = 0, capturedFailed = 0;
        string? capturedFailure = null;
        while (clock.Elapsed <= Duration)
        {
            // What the worker does per use: nothing but send; the signing handler asks ICredentialSource.
            StsAnswer answer = await SampleHost.GetCallerIdentityAsync(worker);
            calls++;
            ok += answer.Status == 200 ? 1 : 0;
            await NoteKeyAsync(source, keys, answer);

            StsAnswer old = await captured.GetCallerIdentityAsync();
            capturedOk += old.Status == 200 ? 1 : 0;
            capturedFailed += old.Status == 200 ? 0 : 1;
            if (old.Status != 200 && capturedFailure is null)
            {
                capturedFailure = $"{old.Status} {old.ErrorCode}";
                story.Line($"captured-once client: {capturedFailure} (\"The security token included in the request is expired\")");
            }

            await clock.AdvanceAsync(Tick);
        }

        await host.StopAsync();
        int rotations = keys.Count - 1;
        story.Check(ok == calls, $"worker: {ok}/{calls} calls answered 200");
        story.Check(rotations >= 3, $"worker: the key id changed {rotations} times ({string.Join(" -> ", keys.Select((_, i) => "#" + (i + 1)))}), never a failed call");
        story.Check(
            capturedFailure?.Contains("ExpiredToken", StringComparison.Ordinal) == true && capturedOk + capturedFailed == calls && capturedOk < calls / 2,
            $"captured-once client: {capturedOk} calls worked, then {capturedFailed} failed with {capturedFailure ?? "no failure"} once its key expired: the failure the library prevents");
    }

    private async Task NoteKeyAsync(ICredentialSource source, List<string> keys, StsAnswer answer)
    {
        // Only for the story: which key signed (asked again, answered from memory). The worker itself never keeps one.
        string keyId = (await source.GetCredentialAsync()).AccessKeyId ?? "(none)";
        if (keys.Count == 0 || keys[^1] != keyId)
        {
            keys.Add(keyId);
            story.Line($"worker: key #{keys.Count} {CloudCredential.MaskAccessKeyId(keyId)} signs; GetCallerIdentity {answer.Status} {answer.Arn}");
        }
    }
}
