using CloudCredentials.Emulator;
using CloudCredentials.Samples.QuickStart;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Samples;

/// <summary>The quick start's story, the same code as `dotnet run --project samples/QuickStart`, on a fake clock.</summary>
public sealed class QuickStartDemoTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_FakeClock_RefreshesBeforeExpiryServesStaleDuringOutageAndRecovers()
    {
        var stepper = new QuickStartStepper(Start);
        var output = new StringWriter();
        var settings = new QuickStartSettings
        {
            ContentRoot = SamplePaths.QuickStart,
            ConfigureServices = stepper.Attach,
            PauseBetweenUses = stepper.PauseAsync,
        };

        QuickStartResult result = await RunOnFakeClockAsync(stepper, settings, output);

        string text = output.ToString();
        result.Succeeded.Should().BeTrue(text);
        result.Provider.Should().Be("ram_role_arn/static_ak");
        IssuedCredential[] issued = [.. stepper.Http.Issued];
        issued.Should().HaveCountGreaterThanOrEqualTo(3);
        TimeSpan firstLifetime = issued[0].Expiration - issued[0].SentAt;
        TimeSpan lead = firstLifetime / 2 < TimeSpan.FromSeconds(20) ? firstLifetime / 2 : TimeSpan.FromSeconds(20);
        issued[1].SentAt.Should().BeCloseTo(
            issued[0].Expiration - lead, TimeSpan.FromMilliseconds(250), "the background refresh starts at expiry - min(RefreshBefore 20 s, lifetime / 2)");

        // The demo sees the new credential at its next use (uses are 1 s apart), so it reports a little less lead.
        result.RefreshLeadTime.Should().BeGreaterThan(lead - TimeSpan.FromSeconds(2)).And.BeLessThanOrEqualTo(lead, "the demo reports what it saw");
        result.OutageInjected.Should().BeTrue();
        result.FailedStsRequests.Should().BeGreaterThan(0);
        result.StaleUses.Should().BeGreaterThanOrEqualTo(settings.StaleUsesBeforeRecovery);
        result.RecoveryLeadTime.Should().BePositive("the fresh credential arrived before the stale one expired");
        result.Credentials.Should().BeGreaterThanOrEqualTo(3);
        result.UsesThatWaited.Should().Be(0, "warm-up and background refreshes answer every use from memory");
        result.Uses.Should().BeInRange(44, 52, "the demo stops a few uses after the recovery");
        result.SignedCalls.Should().Be(result.Uses, "every use is followed by a signed GetCallerIdentity call");
        result.SignedCallsOk.Should().Be(result.SignedCalls, "the emulator verified every signature, across the refresh and the outage");
        result.SignedCallsOkDuringOutage.Should().BeGreaterThanOrEqualTo(settings.StaleUsesBeforeRecovery);

        text.Should().Contain("Step 1/5").And.Contain("Step 3/5  Background refresh: credential #2 replaced #1")
            .And.Contain("Step 4/5  STS outage").And.Contain("Step 5/5").And.Contain("Recovered: credential #3 replaced the stale #2")
            .And.Contain("Healthy -> Degraded").And.Contain("Degraded -> Healthy").And.Contain("stale-if-error")
            .And.Contain("log warn: Credential '(default)': refreshing from ram_role_arn failed").And.Contain("QuickStart OK");
        text.Should().Contain("signed GetCallerIdentity with credential #1: 200 acs:ram::1234567890123456:assumed-role/quickstart-reader/quickstart")
            .And.Contain("signed GetCallerIdentity with credential #2: 200").And.Contain("(STS AssumeRole is down; the call does not need it)").And.Contain("(refreshes fail; the cached, still-valid credential signs)")
            .And.Contain("signed GetCallerIdentity with credential #3: 200").And.MatchRegex(@"\[ok\] +signed calls: (\d+) of \1 GetCallerIdentity calls");
        text.Should().MatchRegex(@"\[ \+4\d\.\ds\]   use  4", "time stamps are relative to the start, on the injected clock");

        stepper.Http.Secrets.Should().NotBeEmpty();
        foreach (string secret in stepper.Http.Secrets.Append(EmulatorOptions.DefaultAccessKeySecret).Append(EmulatorOptions.DefaultAccessKeyId))
        {
            text.Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task RunAsync_FixedDuration_KeepsUsingAndShowsLaterRefreshes()
    {
        var stepper = new QuickStartStepper(Start);
        var output = new StringWriter();
        QuickStartSettings.TryParse(["--duration", "90"], out QuickStartSettings? parsed, out _).Should().BeTrue();
        var settings = new QuickStartSettings
        {
            Duration = parsed!.Duration,
            StopWhenComplete = parsed.StopWhenComplete,
            ContentRoot = SamplePaths.QuickStart,
            ConfigureServices = stepper.Attach,
            PauseBetweenUses = stepper.PauseAsync,
        };

        QuickStartResult result = await RunOnFakeClockAsync(stepper, settings, output);

        string text = output.ToString();
        result.Succeeded.Should().BeTrue(text);
        result.Uses.Should().BeInRange(88, 91);
        result.Credentials.Should().BeGreaterThanOrEqualTo(4, "the recovered credential is refreshed again before the end");
        text.Should().Contain("Background refresh: credential #4 replaced #3, which still had");
    }

    [Fact]
    public async Task RunAsync_TooShortForTheStory_FailsAndSaysWhatDidNotHappen()
    {
        var stepper = new QuickStartStepper(Start);
        var output = new StringWriter();
        var settings = new QuickStartSettings
        {
            ContentRoot = SamplePaths.QuickStart,
            Duration = TimeSpan.FromSeconds(10),
            ConfigureServices = stepper.Attach,
            PauseBetweenUses = stepper.PauseAsync,
        };

        QuickStartResult result = await RunOnFakeClockAsync(stepper, settings, output);

        result.Succeeded.Should().BeFalse();
        result.Problems.Should().Contain("No background refresh was observed: the first credential was never replaced.");
        output.ToString().Should().Contain("[FAILED] background refresh").And.Contain("QuickStart FAILED:");
    }

    [Fact]
    public async Task RunAsync_NoAppSettingsInContentRoot_FailsWithHowToRun()
    {
        DirectoryInfo empty = Directory.CreateTempSubdirectory("quickstart-test-");
        try
        {
            var output = new StringWriter();
            var demo = new QuickStartDemo(new QuickStartSettings { ContentRoot = empty.FullName }, output, new FakeTimeProvider());

            QuickStartResult result = await demo.RunAsync(CancellationToken.None);

            result.Succeeded.Should().BeFalse();
            result.Problems[0].Should().Contain("appsettings.json was not found in " + empty.FullName).And.Contain("dotnet run --project samples/QuickStart");
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(new string[0], 60, true, false)]
    [InlineData(new[] { "--duration", "90" }, 90, false, false)]
    [InlineData(new[] { "--duration", "55.5" }, 55.5, false, false)]
    [InlineData(new[] { "--help" }, 60, true, true)]
    public void TryParse_ValidArguments_Parsed(string[] args, double seconds, bool stopWhenComplete, bool help)
    {
        QuickStartSettings.TryParse(args, out QuickStartSettings? settings, out string? error).Should().BeTrue();

        error.Should().BeNull();
        settings!.Duration.Should().Be(TimeSpan.FromSeconds(seconds));
        settings.StopWhenComplete.Should().Be(stopWhenComplete);
        settings.ShowHelp.Should().Be(help);
    }

    [Theory]
    [InlineData("--duration", "10", "at least|from 55")]
    [InlineData("--duration", "abc", "abc")]
    [InlineData("--duration", null, "--duration")]
    [InlineData("--verbose", null, "--verbose")]
    public void TryParse_InvalidArguments_NamesTheProblem(string first, string? second, string expected)
    {
        string[] args = second is null ? [first] : [first, second];

        QuickStartSettings.TryParse(args, out QuickStartSettings? settings, out string? error).Should().BeFalse();

        settings.Should().BeNull();
        expected.Split('|').Should().Contain(e => error!.Contains(e, StringComparison.Ordinal));
    }

    /// <summary>Runs the demo on <paramref name="stepper"/>'s fake clock, one pause between two uses at a time.</summary>
    private static async Task<QuickStartResult> RunOnFakeClockAsync(QuickStartStepper stepper, QuickStartSettings settings, TextWriter output)
    {
        Task<QuickStartResult> run = Task.Run(() => new QuickStartDemo(settings, output, stepper.Time).RunAsync(CancellationToken.None));
        return await stepper.RunAsync(run);
    }
}
