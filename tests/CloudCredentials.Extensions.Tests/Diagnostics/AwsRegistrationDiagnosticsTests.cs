using CloudCredentials.Diagnostics;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CloudCredentials.Tests.Diagnostics;

/// <summary>An AWS registration (<c>Cloud=aws</c>) in the health report and the metrics, under its <c>aws/</c> provider name.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AwsRegistrationDiagnosticsTests : IDisposable
{
    private const string Secret = "aws-health-secret-Lp27";

    private readonly EnvironmentScope _env = new EnvironmentScope()
        .Set("AWS_EC2_METADATA_DISABLED", "true")
        .Set("AWS_ACCESS_KEY_ID", "AKIAHEALTHTEST")
        .Set("AWS_SECRET_ACCESS_KEY", Secret);

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task AwsEnvKeys_HealthReportAndMetrics_NameTheAwsProvider_NoSecret()
    {
        await using ServiceProvider services = Build();
        using var count = new MetricCollector<long>(services.GetRequiredService<CloudCredentialsMetrics>().Meter, CloudCredentialsMetrics.RefreshCountName);

        CloudCredential credential = await services.GetRequiredService<ICredentialSource>().GetCredentialAsync();
        HealthReport report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        credential.ProviderName.Should().Be("aws/default/env");
        credential.AccessKeySecret.Should().Be(Secret);
        HealthReportEntry entry = report.Entries["cloud-credentials"];
        entry.Status.Should().Be(HealthStatus.Healthy);
        entry.Data["(default)"].Should().BeOfType<string>().Which.Should().Contain("valid, from aws/default");
        count.GetMeasurementSnapshot().Should().ContainSingle()
            .Which.Tags["cloudcredentials.provider"].Should().Be("aws/default");
        string everything = entry.Description + string.Join(";", entry.Data.Values);
        everything.Should().NotContain(Secret).And.NotContain("AKIAHEALTHTEST");
    }

    [Fact]
    public async Task AwsNothingConfigured_HealthUnhealthy_ListsTheAwsMembers_FailureCountedUnderAwsName()
    {
        _env.Set("AWS_ACCESS_KEY_ID", null).Set("AWS_SECRET_ACCESS_KEY", null);
        await using ServiceProvider services = Build();
        using var failures = new MetricCollector<long>(services.GetRequiredService<CloudCredentialsMetrics>().Meter, CloudCredentialsMetrics.RefreshFailuresName);

        HealthReport report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        HealthReportEntry entry = report.Entries["cloud-credentials"];
        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain("aws/env").And.Contain("aws/instance_metadata");
        failures.GetMeasurementSnapshot().Should().NotBeEmpty()
            .And.OnlyContain(m => (string?)m.Tags["cloudcredentials.provider"] == "aws/default");
    }

    private static ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddCloudCredentials(o => o.Cloud = "aws");
        services.AddHealthChecks().AddCloudCredentialsCheck();
        return services.BuildServiceProvider();
    }
}
