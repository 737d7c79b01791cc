using CloudCredentials.Samples.Worker;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.Samples;

/// <summary>
/// The Worker sample, built by its own WorkerApp.Build with its appsettings.json, run to its end: it resolves through
/// the default chain, so what the environment holds decides what it prints.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class WorkerAppTests
{
    private const string KeyId = "LTAIWorkerSampleTestKey";
    private const string Secret = "worker-sample-test-secret-value";

    private static async Task<(int ExitCode, string Out, string Error, FakeLogCollector Logs)> RunAsync()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var logs = new FakeLogCollector();
        var console = new WorkerConsole(output, error);
        using IHost host = WorkerApp.Build(["--contentRoot", SamplePaths.Worker], builder =>
        {
            builder.Services.AddSingleton(console);
            builder.Logging.ClearProviders().AddProvider(new FakeLoggerProvider(logs));
        });

        await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (console.ExitCode, output.ToString(), error.ToString(), logs);
    }

    [Fact]
    public async Task Run_KeyInEnvironment_ResolvesItThroughTheDefaultChain()
    {
        using EnvironmentScope env = new EnvironmentScope()
            .Set("ALIBABA_CLOUD_ACCESS_KEY_ID", KeyId)
            .Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", Secret);

        (int exitCode, string output, string error, FakeLogCollector logs) = await RunAsync();

        exitCode.Should().Be(0, error);
        output.Should().Contain("Resolved:").And.Contain("Provider = default/env").And.Contain("AccessKeyId = LTAI***");
        error.Should().BeEmpty();
        (output + error + logs.AllText()).Should().NotContain(Secret).And.NotContain(KeyId);
    }

    [Fact]
    public async Task Run_NothingConfigured_PrintsWhatItTriedAndExits1WithoutAnExceptionDump()
    {
        using var env = new EnvironmentScope(); // Empty HOME, ECS metadata disabled, no credential variables.

        (int exitCode, string output, string error, FakeLogCollector logs) = await RunAsync();

        exitCode.Should().Be(1);
        output.Should().NotContain("Resolved:");
        error.Should().Contain("No Alibaba Cloud credential")
            .And.Contain("env: ALIBABA_CLOUD_ACCESS_KEY_ID is not set")
            .And.Contain("cli_profile:")
            .And.Contain("ALIBABA_CLOUD_ACCESS_KEY_ID=")
            .And.NotContain("Exception").And.NotContain("   at ");
        logs.GetSnapshot().Should().NotContain(e => e.Exception != null, "the worker prints the reason itself; a stack trace would only bury it");
        logs.AllText().Should().NotContain("   at ");
    }
}
