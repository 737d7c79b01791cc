using CloudCredentials.Caching;
using CloudCredentials.Emulator;
using CloudCredentials.Tests.Caching;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// A full end-to-end run in a real host — every remote type, refreshes on a fake clock, upstream errors, an options
/// reload and a failing default chain — with every log captured at Trace level: no secret the emulator issued,
/// no configured secret, no OIDC or IMDS token ever appears.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class SecretsInLogsEndToEndTests : IDisposable
{
    private const string OidcToken = "secret-scan-oidc-token-Xy55";
    private const string ReloadSecret = "secret-scan-reload-secret-Pq66";
    private const string ErrorBodySecret = "secret-scan-error-body-secret-Ln77";

    private static readonly DateTimeOffset Start = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly EnvironmentScope _env = new();
    private readonly SessionTempDirectory _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        _env.Dispose();
    }

    [Fact]
    public async Task FullRun_AllTypesRefreshesErrorsAndReload_NoSecretInAnyLog()
    {
        _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null);
        var time = new FakeTimeProvider(Start);
        var logs = new FakeLogCollector();
        var secrets = new List<string> { EmulatorFixture.KeySecret, OidcToken, ReloadSecret, ErrorBodySecret };
        string tokenFile = _dir.Write("token", OidcToken);
        await using CloudEmulator emulator = await EmulatorFixture.StartEmulatorAsync(time);
        string endpoint = emulator.BaseAddress.ToString();

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CloudCredentials:Type"] = "ram_role_arn",
            ["CloudCredentials:AccessKeyId"] = EmulatorFixture.KeyId,
            ["CloudCredentials:AccessKeySecret"] = EmulatorFixture.KeySecret,
            ["CloudCredentials:RoleArn"] = EmulatorFixture.RoleArn,
            ["CloudCredentials:StsEndpoint"] = endpoint,
            ["CloudCredentials:oidc:Type"] = "oidc_role_arn",
            ["CloudCredentials:oidc:RoleArn"] = EmulatorFixture.RoleArn,
            ["CloudCredentials:oidc:OIDCProviderArn"] = EmulatorFixture.OidcProviderArn,
            ["CloudCredentials:oidc:OIDCTokenFilePath"] = tokenFile,
            ["CloudCredentials:oidc:StsEndpoint"] = endpoint,
            ["CloudCredentials:ecs:Type"] = "ecs_ram_role",
            ["CloudCredentials:ecs:MetadataEndpoint"] = endpoint,
            ["CloudCredentials:uri:Type"] = "credentials_uri",
            ["CloudCredentials:uri:CredentialsUri"] = emulator.CredentialsUri.ToString(),
            ["CloudCredentials:static:Type"] = "sts",
            ["CloudCredentials:static:AccessKeyId"] = "STS.static",
            ["CloudCredentials:static:AccessKeySecret"] = ReloadSecret,
            ["CloudCredentials:static:SecurityToken"] = ReloadSecret + "-token",
        });
        secrets.Add(ReloadSecret + "-token");
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddCloudCredentials(builder.Configuration);
        string[] names = ["oidc", "ecs", "uri", "static"];
        foreach (string name in names)
        {
            builder.Services.AddCloudCredentials(name, builder.Configuration);
        }

        using IHost host = builder.Build();
        await host.StartAsync();
        IServiceProvider sp = host.Services;
        ICredentialSource[] sources = [sp.GetRequiredService<ICredentialSource>(), .. names.Select(n => sp.GetRequiredKeyedService<ICredentialSource>(n))];
        CredentialCache[] caches = [.. sources.Cast<CredentialCache>()];
        CredentialRefreshService service = sp.GetServices<IHostedService>().OfType<CredentialRefreshService>().Single();

        async Task FetchAllAsync()
        {
            foreach (ICredentialSource source in sources)
            {
                CloudCredential c = await source.GetCredentialAsync();
                secrets.AddRange(new[] { c.AccessKeySecret, c.SecurityToken }.OfType<string>());
                c.ToString().Should().NotContain(c.AccessKeySecret!);
            }
        }

        bool AllSettled() => caches.All(c => c.PendingRefresh is null && (c.NextRefreshAt is null || c.NextRefreshAt > time.GetUtcNow()));

        // Each wait below ends when the refresh service goes to sleep with the condition true: everything that the step
        // started has ended, and the service waits for the earliest refresh point, its timer armed.
        bool AsleepUntilEarliestRefresh(DateTimeOffset? wakeAt) =>
            AllSettled() && caches.Take(4).All(c => c.NextRefreshAt is not null) && wakeAt == caches.Min(c => c.NextRefreshAt);

        // 1. Every type fetches once; then two rounds of background refreshes on the fake clock.
        Task settled = service.WaitForSleepAsync(AsleepUntilEarliestRefresh);
        await FetchAllAsync();
        await settled; // the first fetches are scheduled
        for (int round = 1; round <= 2; round++)
        {
            long before = emulator.Stats.CredentialsIssued;
            settled = service.WaitForSleepAsync(at => emulator.Stats.CredentialsIssued >= before + 4 && AsleepUntilEarliestRefresh(at));
            time.Advance(TimeSpan.FromMinutes(46));
            await settled; // the four session credentials are refreshed and the refreshes accepted
            await FetchAllAsync();
        }

        // 2. Upstream errors (not retried) whose bodies carry secret-looking fields: STS 400, credentials URI 403.
        emulator.InjectFault(EmulatorService.Sts, EmulatorFault.Status(400, $$"""{"Code":"InvalidParameter","Message":"bad","AccessKeySecret":"{{ErrorBodySecret}}","SecurityToken":"{{ErrorBodySecret}}","RequestId":"r-1"}"""), 2);
        emulator.InjectFault(EmulatorService.CredentialsUri, EmulatorFault.Status(403, $$"""{"Code":"Forbidden","AccessKeySecret":"{{ErrorBodySecret}}","SecurityToken":"{{ErrorBodySecret}}"}"""), 1);
        settled = service.WaitForSleepAsync(_ => caches.Count(c => c.GetStatus().ConsecutiveFailures > 0) == 3 && caches.All(c => c.PendingRefresh is null));
        time.Advance(TimeSpan.FromMinutes(46));
        await settled; // the three refreshes that hit a fault have failed
        caches.Select(c => c.GetStatus().LastFailure).OfType<string>().Should().HaveCount(3).And.AllSatisfy(m => AssertClean(m, secrets));
        emulator.Stats.FaultsServed.Should().Be(3);
        await FetchAllAsync(); // stale-if-error: still served

        // 3. Options reload with a new secret, and an invalid reload.
        IConfigurationRoot root = (IConfigurationRoot)sp.GetRequiredService<IConfiguration>();
        root["CloudCredentials:static:AccessKeyId"] = "STS.reloaded";
        settled = service.WaitForSleepAsync(_ => CacheTestHelpers.ResultOf(sources[4].GetCredentialAsync()).AccessKeyId == "STS.reloaded" && AllSettled());
        root.Reload();
        await settled; // the reload is applied, and every registration has fetched from its rebuilt provider
        root["CloudCredentials:static:Type"] = "magic";
        root["CloudCredentials:static:AccessKeySecret"] = ReloadSecret + "-rejected";
        secrets.Add(ReloadSecret + "-rejected");
        Action invalidReload = root.Reload;
        invalidReload.Should().NotThrow();
        logs.GetSnapshot().Should().Contain(e => e.Id.Id == 3001, "the invalid reload is logged");

        // 4. A failing default chain in another container of the same process (ECS off again: nothing may reach 100.100.100.200).
        _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
        await using (ServiceProvider failing = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)))
            .AddCloudCredentials("chain", _ => { })
            .BuildServiceProvider())
        {
            Func<Task> act = () => failing.GetRequiredKeyedService<ICredentialSource>("chain").GetCredentialAsync().AsTask();
            AssertClean((await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.ToString(), secrets);
        }

        await host.StopAsync();

        emulator.Stats.SignatureFailures.Should().Be(0);
        logs.Count.Should().BeGreaterThan(20, "the run logged at every level");
        logs.GetSnapshot().Should().Contain(e => e.Level == LogLevel.Trace || e.Level == LogLevel.Debug);
        secrets.Count.Should().BeGreaterThan(20);
        AssertClean(logs.AllText(), secrets);
    }

    private static void AssertClean(string text, IEnumerable<string> secrets)
    {
        foreach (string secret in secrets.Where(s => s.Length > 0).Distinct())
        {
            text.Should().NotContain(secret);
        }

        text.Should().NotContain("AQAEA", "IMDSv2 tokens are secrets");
    }
}
