using CloudCredentials.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>
/// One registration built the way an app builds it (<c>AddCloudCredentials</c>), with every log captured at Trace
/// level, so a test can make it fail and check that a secret reached none of the exception, the logs and the
/// health report.
/// </summary>
internal sealed class SecretScanHost : IAsyncDisposable
{
    private SecretScanHost(ServiceProvider services, FakeLogCollector logs)
    {
        Services = services;
        Logs = logs;
    }

    public ServiceProvider Services { get; }

    public FakeLogCollector Logs { get; }

    public ICredentialSource Source => Services.GetRequiredService<ICredentialSource>();

    /// <summary>The health report's view of the registration: its last failure message.</summary>
    public string? HealthReport => ((ICredentialCacheStatusReporter)Source).GetStatus().LastFailure;

    /// <summary>Builds the services.</summary>
    /// <param name="configure">Sets the options.</param>
    /// <param name="time">The clock, or <see langword="null"/> for the system's.</param>
    /// <param name="after">Runs after <c>AddCloudCredentials</c>, for example to give a named HttpClient a stub handler.</param>
    public static SecretScanHost Create(Action<CloudCredentialsOptions> configure, TimeProvider? time = null, Action<IServiceCollection>? after = null)
    {
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddCloudCredentials(configure);
        after?.Invoke(services);
        return new SecretScanHost(services.BuildServiceProvider(), logs);
    }

    /// <summary>Gets a credential, expecting a failure.</summary>
    public async Task<CredentialUnavailableException> FailAsync()
    {
        Func<Task> act = () => Source.GetCredentialAsync(CancellationToken.None).AsTask();
        return (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
    }

    /// <summary>Asserts that none of <paramref name="secrets"/> is in the exception (with inner exceptions), the logs or the health report.</summary>
    public void AssertNowhere(CredentialUnavailableException exception, params string[] secrets)
    {
        string health = HealthReport ?? string.Empty;
        string logs = Logs.AllText();
        health.Should().NotBeEmpty("the failure reaches the health report");
        foreach (string secret in secrets)
        {
            exception.ToString().Should().NotContain(secret, "the exception must not quote a secret");
            logs.Should().NotContain(secret, "the logs must not quote a secret");
            health.Should().NotContain(secret, "the health report must not quote a secret");
        }
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
