using CloudCredentials.Emulator;
using CloudCredentials.Samples.AwsFieldReports;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Samples;

/// <summary>The AWS field reports sample, the same code as `dotnet run --project samples/AwsFieldReports`, in process.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AwsFieldReportsDemoTests
{
    [Fact]
    public async Task RunAsync_ReplaysTheThreeReports_AndSucceeds()
    {
        using var env = new EnvironmentScope(); // the sample sets and restores AWS_* variables of this process
        var output = new StringWriter();
        var demo = new AwsFieldReportsDemo(output);

        bool ok = await demo.RunAsync();

        string text = output.ToString();
        ok.Should().BeTrue(text);
        text.Should().Contain("AwsFieldReports OK").And.NotContain("[FAILED]")
            .And.Contain("credential from aws/default/container")
            .And.Contain("misconfigured task (AWS_CONTAINER_AUTHORIZATION_TOKEN wrong): the host did not start")
            .And.Contain("2800/2800 signed GetCallerIdentity calls answered 200")
            .And.Contain("(0 401s)")
            .And.Contain("captured-once client: 403 ExpiredToken");
        demo.PooledClientTokenPuts.Should().Be(2);
        text.Should().NotContain(AwsEmulatorOptions.DefaultSecretAccessKey).And.NotContain(AwsEmulatorOptions.DefaultContainerAuthorizationToken)
            .And.NotContain("not-the-task-token");
        Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").Should().BeNull("the sample restores the environment");
    }
}
