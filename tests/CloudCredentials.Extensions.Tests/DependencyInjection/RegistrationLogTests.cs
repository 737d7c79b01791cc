using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>
/// Issue 10, item 6, through a real host: a failed start says why in one line, failing requests do not flood the
/// log, and the default registration has one name, <c>(default)</c>, everywhere.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class RegistrationLogTests : IDisposable
{
    private const string Reason = "ALIBABA_CLOUD_ACCESS_KEY_ID is not set";
    private const string Secret = "registration-log-secret-Vb62";

    private readonly EnvironmentScope _env = new();
    private readonly FakeLogCollector _logs = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task FailedWarmUp_TheReasonIsLoggedOnceInOneLine()
    {
        IConfigurationRoot config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CloudCredentials:Refresh:WarmUpOnStart"] = "true" })
            .Build();
        using IHost host = BuildHost(s => s.AddCloudCredentials(config));

        (await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<CredentialUnavailableException>())
            .Which.Message.Should().Contain(Reason, "the exception still says why");

        FakeLogRecord[] library = LibraryEntriesAboveDebug();
        library.Where(e => e.ToString().Contains(Reason, StringComparison.Ordinal)).Should().ContainSingle("one line per start failure")
            .Which.Should().Match<FakeLogRecord>(e => e.Id.Id == 202 && e.Level == LogLevel.Critical && e.Exception == null);
        library.Should().OnlyContain(e => e.Exception == null, "stack traces are Debug detail");
        _logs.GetSnapshot().Where(e => e.Category != null && e.Category.StartsWith("CloudCredentials", StringComparison.Ordinal) && e.Exception != null)
            .Should().NotBeEmpty("the failure's details are kept at Debug");
    }

    [Fact]
    public async Task TenFailingRequests_OneShortWarning()
    {
        IConfigurationRoot config = new ConfigurationBuilder().Build();
        using IHost host = BuildHost(s => s.AddCloudCredentials(config));
        await host.StartAsync();
        ICredentialSource source = host.Services.GetRequiredService<ICredentialSource>();

        for (int i = 0; i < 10; i++)
        {
            await FluentActions.Awaiting(async () => await source.GetCredentialAsync()).Should().ThrowAsync<CredentialUnavailableException>();
        }

        FakeLogRecord[] library = LibraryEntriesAboveDebug();
        library.Should().ContainSingle().Which.Level.Should().Be(LogLevel.Warning);
        library[0].Message.Should().Contain("'(default)'").And.Contain(Reason);
        library[0].Exception.Should().BeNull();
        library.Sum(e => e.Message.Length + (e.Exception?.ToString().Length ?? 0)).Should().BeLessThan(2_000, "ten failed requests logged 21 KB before");
        await host.StopAsync();
    }

    [Fact]
    public async Task DefaultRegistration_IsNamedDefaultInEveryLog()
    {
        IConfigurationRoot config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CloudCredentials:Type"] = "access_key",
                ["CloudCredentials:AccessKeyId"] = "LTAIold",
                ["CloudCredentials:AccessKeySecret"] = Secret,
            })
            .Build();
        using IHost host = BuildHost(s => s.AddCloudCredentials(config));
        await host.StartAsync();
        ICredentialSource source = host.Services.GetRequiredService<ICredentialSource>();
        await source.GetCredentialAsync();

        config["CloudCredentials:Type"] = "magic"; // rejected reload
        config.Reload();
        await Poll.UntilAsync(() => _logs.GetSnapshot().Any(e => e.Id.Id == 3001), "the rejected reload is logged");
        config["CloudCredentials:Type"] = "access_key";
        config["CloudCredentials:AccessKeyId"] = "LTAInew"; // applied reload
        config.Reload();
        await Poll.UntilAsync(() => _logs.GetSnapshot().Any(e => e.Id.Id == 3000), "the applied reload is logged");
        await host.StopAsync();

        FakeLogRecord[] named = [.. _logs.GetSnapshot().Where(e => e.StructuredState != null && e.StructuredState.Any(kv => kv.Key == "Registration"))];
        named.Select(e => e.Id.Id).Should().Contain([101, 106, 3000, 3001]);
        named.Should().OnlyContain(e => e.GetStructuredStateValue("Registration") == "(default)", "the default registration has one name");
        _logs.GetSnapshot().Should().NotContain(e => e.Message.Contains("''", StringComparison.Ordinal));
        _logs.AllText().Should().NotContain(Secret);
    }

    private IHost BuildHost(Action<IServiceCollection> register)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(new FakeLoggerProvider(_logs)).SetMinimumLevel(LogLevel.Trace);
        register(builder.Services);
        return builder.Build();
    }

    private FakeLogRecord[] LibraryEntriesAboveDebug() =>
        [.. _logs.GetSnapshot().Where(e => e.Category != null && e.Category.StartsWith("CloudCredentials", StringComparison.Ordinal) && e.Level > LogLevel.Debug)];
}
