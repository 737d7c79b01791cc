using CloudCredentials.Tests.Alibaba.Sts;
using CloudCredentials.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>
/// Memory retained per named registration: the difference between a container with N + 1 registrations and one with
/// 1, each built, resolved (a credential fetched) and kept alive, after a full GC, divided by N. Reported in the test
/// output (<c>--logger "console;verbosity=detailed"</c>); asserted only against a generous bound.
/// </summary>
public sealed class RegistrationMemoryTests(ITestOutputHelper output)
{
    private const int N = 100;

    [Fact]
    public async Task AccessKeyRegistrations_RetainFewKilobytesEach()
    {
        double perRegistration = await MeasureAsync((o, _) =>
        {
            o.Type = "access_key";
            o.AccessKeyId = "LTAImemory";
            o.AccessKeySecret = "memory-secret";
        });

        output.WriteLine($"access_key: {perRegistration:0} bytes retained per registration (N = {N})");
        perRegistration.Should().BeLessThan(12 * 1024, "about 6 KB with shared HttpClients; 16 KB when each registration had its own");
    }

    [Fact]
    public async Task RamRoleArnRegistrations_ShareOneStsClient()
    {
        await using LoopbackServer sts = await LoopbackServer.StartAsync((ctx, _) => ctx.Response.WriteAsync(StsClientTests.SuccessBody("2099-01-01T00:00:00Z")));
        double perRegistration = await MeasureAsync((o, name) =>
        {
            o.Type = "ram_role_arn";
            o.AccessKeyId = "LTAImemory";
            o.AccessKeySecret = "memory-secret";
            o.RoleArn = "acs:ram::1:role/" + name;
            o.StsEndpoint = sts.BaseUrl;
        });

        output.WriteLine($"ram_role_arn: {perRegistration:0} bytes retained per registration (N = {N}, one loopback STS)");
        perRegistration.Should().BeLessThan(24 * 1024, "about 8 KB with one shared STS client; 45 KB when each registration had its own");
    }

    private static async Task<double> MeasureAsync(Action<CloudCredentialsOptions, string> configure)
    {
        // Warm up once so type loading, static caches and the shared infrastructure are not counted.
        (await BuildAsync(1, configure)).Dispose();
        long start = Settled();
        ServiceProvider one = await BuildAsync(1, configure);
        long afterOne = Settled();
        ServiceProvider many = await BuildAsync(N + 1, configure);
        long afterMany = Settled();
        GC.KeepAlive(one);
        GC.KeepAlive(many);
        one.Dispose();
        many.Dispose();
        return ((afterMany - afterOne) - (afterOne - start)) / (double)N;
    }

    private static async Task<ServiceProvider> BuildAsync(int registrations, Action<CloudCredentialsOptions, string> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 0, 0, TimeSpan.Zero)));
        for (int i = 0; i < registrations; i++)
        {
            string name = "r" + i;
            services.AddCloudCredentials(name, o => configure(o, name));
        }

        ServiceProvider provider = services.BuildServiceProvider();
        for (int i = 0; i < registrations; i++)
        {
            await provider.GetRequiredKeyedService<ICredentialSource>("r" + i).GetCredentialAsync();
        }

        return provider;
    }

    private static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
