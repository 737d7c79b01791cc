using CloudCredentials.Emulator.Internal;

namespace CloudCredentials.Emulator.Tests.Internal;

public class AwsCommandLineAndBannerTests
{
    [Fact]
    public void AwsOptions_Parsed()
    {
        string? error = EmulatorCommandLine.TryParse(
            [
                "--aws-role-name", "Ec2Role", "--aws-imds-v1-disabled", "--aws-imds-token-ttl", "60", "--aws-container-path", "/creds/task",
                "--aws-container-token", "Basic abcd", "--aws-web-identity-token", "jwt",
            ],
            out EmulatorCommandLine commandLine);

        error.Should().BeNull();
        AwsEmulatorOptions aws = commandLine.Options.Aws;
        aws.RoleName.Should().Be("Ec2Role");
        aws.ImdsV1Disabled.Should().BeTrue();
        aws.MaxImdsTokenTtl.Should().Be(TimeSpan.FromSeconds(60));
        aws.ContainerPath.Should().Be("/creds/task");
        aws.ContainerAuthorizationToken.Should().Be("Basic abcd");
        aws.WebIdentityToken.Should().Be("jwt");
    }

    [Fact]
    public void ContainerNoAuth_ClearsTheToken()
    {
        EmulatorCommandLine.TryParse(["--aws-container-no-auth"], out EmulatorCommandLine commandLine).Should().BeNull();

        commandLine.Options.Aws.ContainerAuthorizationToken.Should().BeNull();
    }

    [Theory]
    [InlineData("--aws-imds-token-ttl", "0")]
    [InlineData("--aws-imds-token-ttl", "21601")]
    [InlineData("--aws-role-name", "a/b")]
    [InlineData("--aws-container-path", "relative")]
    [InlineData("--aws-container-path", "/latest/x")]
    [InlineData("--aws-container-token")]
    [InlineData("--aws-bogus")]
    public void InvalidAwsOption_ReturnsError(params string[] args) =>
        EmulatorCommandLine.TryParse(args, out _).Should().NotBeNullOrEmpty();

    [Fact]
    public void Usage_ListsTheAwsOptions() =>
        EmulatorCommandLine.Usage.Should().Contain("--aws-role-name").And.Contain("--aws-imds-token-ttl").And.Contain("--aws-container-token");

    [Fact]
    public async Task InvalidOptionsObject_FailsAtStartNamingTheSetting()
    {
        var options = new EmulatorOptions();
        options.Aws.ContainerAuthorizationToken = "a\nb";

        Func<Task> act = () => CloudEmulator.StartAsync(options);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*ContainerAuthorizationToken*");
    }

    [Fact]
    public async Task Banner_PrintsTheAwsSettingsToPaste()
    {
        var options = new EmulatorOptions();
        await using CloudEmulator emulator = await CloudEmulator.StartAsync(options);

        string banner = Program.Banner(emulator, options);

        string baseAddress = emulator.BaseAddress.GetLeftPart(UriPartial.Authority);
        banner.Should().Contain("export AWS_EC2_METADATA_SERVICE_ENDPOINT=" + baseAddress)
            .And.Contain("export AWS_CONTAINER_CREDENTIALS_FULL_URI=" + baseAddress + "/v2/credentials/emulator")
            .And.Contain("export AWS_CONTAINER_AUTHORIZATION_TOKEN=" + AwsEmulatorOptions.DefaultContainerAuthorizationToken)
            .And.Contain("export AWS_ENDPOINT_URL_STS=" + baseAddress)
            .And.Contain("export AWS_ACCESS_KEY_ID=" + AwsEmulatorOptions.DefaultAccessKeyId)
            .And.Contain("/roa/echo/");
    }
}
