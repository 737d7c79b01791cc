using CloudCredentials.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Caching;

public sealed class CredentialRefreshServiceTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FortyFiveMinutes = TimeSpan.FromMinutes(45);

    [Fact]
    public async Task ExecuteAsync_OneHourCredential_WakesAtEachRefreshPointAndRefreshes()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using ServiceProvider services = BuildServices(time);
        CredentialRefreshService service = GetService(services);
        await using CredentialCache cache = CreateCache(provider, time);
        services.GetRequiredService<CredentialCacheRegistry>().Add(cache);
        await cache.GetCredentialAsync();

        Task asleep = WaitForSleepAsync(service, Start + FortyFiveMinutes);
        await service.StartAsync(CancellationToken.None);
        await asleep;

        for (int i = 1; i <= 3; i++)
        {
            DateTimeOffset due = Start + (FortyFiveMinutes * i);
            time.SetUtcNow(due - TimeSpan.FromMilliseconds(1));
            provider.Calls.Should().Be(i, "nothing is fetched before the refresh point");

            asleep = WaitForSleepAsync(service, due + FortyFiveMinutes);
            time.SetUtcNow(due);
            await asleep;

            provider.Calls.Should().Be(i + 1);
            provider.CallTimes[i].Should().Be(due);
            cache.GetCredentialAsync().Completed().AccessKeyId.Should().Be(FakeCredentialProvider.KeyIdOf(i + 1));
        }

        await service.StopAsync(CancellationToken.None);
        service.ExecuteTask!.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public async Task ExecuteAsync_CacheReportsEarlierTime_WakesEarly()
    {
        var time = new FakeTimeProvider(Start);
        await using ServiceProvider services = BuildServices(time);
        CredentialRefreshService service = GetService(services);
        CredentialCacheRegistry registry = services.GetRequiredService<CredentialCacheRegistry>();
        await using CredentialCache hourly = CreateCache(new FakeCredentialProvider(time, "hourly"), time);
        registry.Add(hourly);
        await hourly.GetCredentialAsync();
        Task asleep = WaitForSleepAsync(service, Start + FortyFiveMinutes);
        await service.StartAsync(CancellationToken.None);
        await asleep;

        var shortLived = new FakeCredentialProvider(time, "short") { Lifetime = TimeSpan.FromSeconds(20) };
        await using CredentialCache fast = CreateCache(shortLived, time, registrationName: "fast");
        registry.Add(fast);
        asleep = WaitForSleepAsync(service, Start + TimeSpan.FromSeconds(10));
        await fast.GetCredentialAsync(); // its NextRefreshAt appears: 10 s
        await asleep;

        asleep = WaitForSleepAsync(service, Start + TimeSpan.FromSeconds(20));
        time.Advance(TimeSpan.FromSeconds(10));
        await asleep;
        shortLived.Calls.Should().Be(2);

        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ExecuteAsync_RefreshFails_RetriesOnBackoffThenResumesSchedule()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        await using ServiceProvider services = BuildServices(time);
        CredentialRefreshService service = GetService(services);
        await using CredentialCache cache = CreateCache(provider, time);
        services.GetRequiredService<CredentialCacheRegistry>().Add(cache);
        CloudCredential first = await cache.GetCredentialAsync();
        Task asleep = WaitForSleepAsync(service, Start + FortyFiveMinutes);
        await service.StartAsync(CancellationToken.None);
        await asleep;
        provider.Failure = () => new CredentialUnavailableException("fake", "503 from http://127.0.0.1:1", null);

        DateTimeOffset now = Start + FortyFiveMinutes;
        foreach (int seconds in new[] { 1, 2, 4, 8 })
        {
            asleep = WaitForSleepAsync(service, now + TimeSpan.FromSeconds(seconds));
            time.SetUtcNow(now);
            await asleep;
            cache.GetCredentialAsync().Completed().Should().BeSameAs(first, "stale-if-error");
            now += TimeSpan.FromSeconds(seconds);
        }

        provider.Failure = null;
        asleep = WaitForSleepAsync(service, now + FortyFiveMinutes);
        time.SetUtcNow(now);
        await asleep;
        provider.CallTimes.Select(t => (t - Start).TotalSeconds).Should().Equal(0, 2700, 2701, 2703, 2707, 2715);

        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_WarmUpOnStart_FetchesBeforeHostStarts()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        var options = new CredentialRefreshOptions { WarmUpOnStart = true };
        var cold = new FakeCredentialProvider(time, "cold");
        using IHost host = BuildHost(time, (provider, options, "warm"), (cold, new CredentialRefreshOptions(), "cold"));

        await host.StartAsync();

        provider.Calls.Should().Be(1);
        cold.Calls.Should().Be(0, "only registrations with WarmUpOnStart are fetched at start");
        CredentialCacheRegistry registry = host.Services.GetRequiredService<CredentialCacheRegistry>();
        registry.Caches.Should().HaveCount(2, "DI registrations are activated at start");
        registry.Caches.Single(c => c.RegistrationName == "warm").GetCredentialAsync().Completed()
            .AccessKeyId.Should().Be(FakeCredentialProvider.KeyIdOf(1));
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_WarmUpFails_HostStartFailsWithProviderException()
    {
        var time = new FakeTimeProvider(Start);
        var failure = new CredentialUnavailableException("ecs_ram_role", "http://127.0.0.1:1/latest/meta-data answered 404", null);
        var provider = new FakeCredentialProvider(time) { Failure = () => failure };
        var capture = new FakeLogCollector();
        using IHost host = BuildHost(time, capture, (provider, new CredentialRefreshOptions { WarmUpOnStart = true }, "warm"));

        (await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<CredentialUnavailableException>())
            .Which.Should().BeSameAs(failure);
        capture.GetSnapshot().Should().Contain(e => e.Id.Id == 202 && e.Level == LogLevel.Critical);
    }

    [Fact]
    public async Task StopAsync_RefreshInFlight_StopsCleanlyAndDisposalCancelsFetch()
    {
        var time = new FakeTimeProvider(Start);
        var provider = new FakeCredentialProvider(time);
        IHost host = BuildHost(time, (provider, new CredentialRefreshOptions { WarmUpOnStart = true }, "main"));
        CredentialRefreshService service = GetService(host.Services);
        Task asleep = WaitForSleepAsync(service, Start + FortyFiveMinutes);
        await host.StartAsync();
        await asleep;

        provider.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        time.Advance(FortyFiveMinutes);
        await provider.WaitForCallsAsync(2); // the service's refresh hangs upstream

        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        service.ExecuteTask!.IsCompletedSuccessfully.Should().BeTrue("stopping is not a failure");

        host.Dispose(); // disposes the cache, which cancels the fetch under way
        provider.LastToken.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public async Task Host_InfrastructureAddedTwice_StartsOneRefreshService()
    {
        var time = new FakeTimeProvider(Start);
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddCloudCredentialsRefreshInfrastructure();
        builder.Services.AddCloudCredentialsRefreshInfrastructure();
        using IHost host = builder.Build();

        await host.StartAsync();

        host.Services.GetServices<IHostedService>().OfType<CredentialRefreshService>().Should().ContainSingle();
        await host.StopAsync();
    }

    internal static ServiceProvider BuildServices(TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddCloudCredentialsRefreshInfrastructure();
        return services.BuildServiceProvider();
    }

    private static IHost BuildHost(TimeProvider time, params (FakeCredentialProvider Provider, CredentialRefreshOptions Options, string Name)[] caches) =>
        BuildHost(time, null, caches);

    private static IHost BuildHost(
        TimeProvider time, FakeLogCollector? capture, params (FakeCredentialProvider Provider, CredentialRefreshOptions Options, string Name)[] caches)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(time);
        if (capture is not null)
        {
            builder.Services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(capture)).SetMinimumLevel(LogLevel.Trace));
        }

        builder.Services.AddCloudCredentialsRefreshInfrastructure();
        foreach ((FakeCredentialProvider provider, CredentialRefreshOptions options, string name) in caches)
        {
            builder.Services.AddKeyedSingleton(name, (sp, _) => CreateCache(provider, sp.GetRequiredService<TimeProvider>(), options, registrationName: name));
            builder.Services.AddSingleton(new CredentialCacheRegistration(name, sp => sp.GetRequiredKeyedService<CredentialCache>(name)));
        }

        return builder.Build();
    }

    private static CredentialRefreshService GetService(IServiceProvider services) =>
        services.GetServices<IHostedService>().OfType<CredentialRefreshService>().Single();

    /// <summary>Completes when the service next goes to sleep until <paramref name="wakeAt"/> (its timer armed).</summary>
    private static Task WaitForSleepAsync(CredentialRefreshService service, DateTimeOffset wakeAt)
    {
        var asleep = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSleeping(DateTimeOffset? at)
        {
            if (at == wakeAt)
            {
                service.Sleeping -= OnSleeping;
                asleep.TrySetResult();
            }
        }

        service.Sleeping += OnSleeping;
        return asleep.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
