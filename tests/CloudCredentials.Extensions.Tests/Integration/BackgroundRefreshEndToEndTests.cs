using CloudCredentials.Caching;
using CloudCredentials.Emulator;
using CloudCredentials.Tests.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// The hosted refresh service of a real host, on a fake clock shared with the emulator, refreshes a session
/// credential before it expires: callers get the new one from the cache without waiting.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class BackgroundRefreshEndToEndTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task RefreshService_RamRoleArnSession_RefreshedInBackgroundBeforeExpiry()
    {
        var time = new FakeTimeProvider(Start);
        var logs = new FakeLogCollector();
        await using CloudEmulator emulator = await EmulatorFixture.StartEmulatorAsync(time);

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddSingleton<TimeProvider>(time); // before AddCloudCredentials: its TryAdd keeps this one
        builder.Services.AddCloudCredentials(o =>
        {
            o.Type = "ram_role_arn";
            o.AccessKeyId = EmulatorFixture.KeyId;
            o.AccessKeySecret = EmulatorFixture.KeySecret;
            o.RoleArn = EmulatorFixture.RoleArn;
            o.StsEndpoint = emulator.BaseAddress.ToString();
        });
        using IHost host = builder.Build();
        await host.StartAsync();
        var source = (CredentialCache)host.Services.GetRequiredService<ICredentialSource>();
        host.Services.GetRequiredService<TimeProvider>().Should().BeSameAs(time);
        CredentialRefreshService service = host.Services.GetServices<IHostedService>().OfType<CredentialRefreshService>().Single();
        Task asleep = service.WaitForSleepAsync(at => at == Start + TimeSpan.FromMinutes(45));

        CloudCredential first = await source.GetCredentialAsync();
        first.Expiration.Should().Be(Start + TimeSpan.FromHours(1));
        emulator.Stats.StsAssumeRole.Should().Be(1);
        await asleep; // the refresh point is scheduled
        source.NextRefreshAt.Should().Be(Start + TimeSpan.FromMinutes(45));

        var seen = new List<CloudCredential> { first };
        for (int cycle = 1; cycle <= 2; cycle++)
        {
            DateTimeOffset refreshAt = Start + TimeSpan.FromMinutes(45 * cycle);
            time.SetUtcNow(refreshAt - TimeSpan.FromSeconds(1));
            emulator.Stats.StsAssumeRole.Should().Be(cycle, "nothing is refreshed before the refresh point");

            // No caller asks: the hosted service alone must notice the refresh point and fetch.
            asleep = service.WaitForSleepAsync(at => at == refreshAt + TimeSpan.FromMinutes(45));
            time.SetUtcNow(refreshAt);
            await asleep; // the background refresh of this cycle has completed
            source.NextRefreshAt.Should().Be(refreshAt + TimeSpan.FromMinutes(45));
            source.PendingRefresh.Should().BeNull();

            emulator.Stats.StsAssumeRole.Should().Be(cycle + 1);
            CloudCredential current = source.GetCredentialAsync().Completed(); // from the cache, without waiting
            current.AccessKeyId.Should().NotBe(seen[^1].AccessKeyId);
            current.Expiration.Should().Be(refreshAt + TimeSpan.FromHours(1));
            seen.Add(current);
        }

        emulator.Stats.SignatureFailures.Should().Be(0);
        logs.GetSnapshot().Should().Contain(e => e.Category!.Contains("CredentialRefreshService", StringComparison.Ordinal));
        string text = logs.AllText();
        foreach (CloudCredential c in seen)
        {
            text.Should().NotContain(c.AccessKeySecret).And.NotContain(c.SecurityToken);
        }

        text.Should().NotContain(EmulatorFixture.KeySecret);
        await host.StopAsync();
    }
}
