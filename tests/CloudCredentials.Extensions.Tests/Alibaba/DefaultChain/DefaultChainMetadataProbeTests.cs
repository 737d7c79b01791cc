using System.Diagnostics;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.DefaultChain;

/// <summary>
/// Issue 9 item 7: off ECS (nothing configured, a metadata address that accepts and never answers) the default chain
/// fails after one short probe, remembers "unreachable" for MetadataUnreachableTtl on the injected clock, and keeps
/// re-checking the cheap sources on every call.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class DefaultChainMetadataProbeTests : IDisposable
{
    private const string EnvSecret = "probe-env-secret-Zt63";

    private readonly EnvironmentScope _env = new();

    public DefaultChainMetadataProbeTests() => _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null);

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task NothingConfigured_MetadataNeverAnswers_FailsAfterOneShortProbeThenAtOnceWithoutConnecting()
    {
        await using var metadata = new SilentTcpListener();
        await using SecretScanHost host = SecretScanHost.Create(o => o.MetadataEndpoint = metadata.BaseUrl);

        var first = Stopwatch.StartNew();
        CredentialUnavailableException ex = await host.FailAsync();
        first.Stop();

        first.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "one short probe, not 3 x 1 s plus retries for the token and again for the GET");
        ex.Failures.Select(f => f.ProviderName).Should().Contain("ecs_ram_role");
        await Poll.UntilAsync(() => metadata.Connections == 1, "the probe connected");

        var second = Stopwatch.StartNew();
        CredentialUnavailableException again = await host.FailAsync();
        second.Stop();

        second.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(500), "'unreachable' is remembered");
        again.Message.Should().Contain("MetadataUnreachableTtl").And.Contain("ALIBABA_CLOUD_ECS_METADATA_DISABLED=true");
        metadata.Connections.Should().Be(1, "the second call does not connect again");
        host.HealthReport.Should().Contain("MetadataUnreachableTtl");

        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexportedLater").Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", EnvSecret);
        var third = Stopwatch.StartNew();
        CloudCredential credential = await host.Source.GetCredentialAsync();
        third.Stop();

        credential.ProviderName.Should().Be("default/env", "a freshly exported variable is found at once");
        third.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(500));
        metadata.Connections.Should().Be(1);
        host.Logs.AllText().Should().NotContain(EnvSecret);
    }

    [Fact]
    public async Task UnreachableMemo_LastsMetadataUnreachableTtlOnTheInjectedClock_ThenProbesAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var metadata = new SilentTcpListener();
        await using SecretScanHost host = SecretScanHost.Create(o => o.MetadataEndpoint = metadata.BaseUrl, time);

        await DriveAsync(time, FailureAsync(host));
        await Poll.UntilAsync(() => metadata.Connections == 1, "the probe connected");

        // Within the TTL every call fails at once: no fake time has to pass for it to complete.
        time.Advance(TimeSpan.FromSeconds(59));
        Task<Exception?> within = FailureAsync(host);
        (await Task.WhenAny(within, Task.Delay(TimeSpan.FromSeconds(10)))).Should().BeSameAs(within, "nothing waits for the metadata service");
        (await within).Should().BeOfType<CredentialUnavailableException>().Which.Message.Should().Contain("MetadataUnreachableTtl");

        time.Advance(TimeSpan.FromSeconds(1));
        await DriveAsync(time, FailureAsync(host));
        await Poll.UntilAsync(() => metadata.Connections == 2, "the probe after the TTL connected");
        metadata.Connections.Should().Be(2, "one probe before the TTL ended, one after, none in between");
    }

    [Fact]
    public async Task ExplicitEcsRamRole_MetadataNeverAnswers_KeepsItsRetries()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var metadata = new SilentTcpListener();
        await using SecretScanHost host = SecretScanHost.Create(
            o =>
            {
                o.Type = "ecs_ram_role";
                o.MetadataEndpoint = metadata.BaseUrl;
            },
            time);

        Exception? failure = await DriveAsync(time, FailureAsync(host));

        failure.Should().BeOfType<CredentialUnavailableException>();
        await Poll.UntilAsync(() => metadata.Connections >= 3, "the token PUT was retried");
    }

    /// <summary>
    /// Completes <paramref name="task"/>, moving the fake clock in 100 ms steps while it runs (a listener that never
    /// answers is only given up on when an attempt timeout passes on the injected clock); bounded by 20 s of real time.
    /// </summary>
    private static async Task<T> DriveAsync<T>(FakeTimeProvider time, Task<T> task)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(2, CancellationToken.None));
            if (task.IsCompleted)
            {
                break;
            }

            deadline.IsCancellationRequested.Should().BeFalse("the task completes while fake time passes");
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        return await task;
    }

    private static async Task<Exception?> FailureAsync(SecretScanHost host)
    {
        try
        {
            await host.Source.GetCredentialAsync();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
