using System.Globalization;
using CloudCredentials.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudCredentials.Samples.QuickStart;

/// <summary>
/// The quick start's story. All timing (the uses, the emulator's credential lifetimes, the library's refresh
/// schedule) runs on the injected <see cref="TimeProvider"/>: the program passes the system clock, a test passes a
/// fake clock and runs the same story in seconds.
/// </summary>
internal sealed class QuickStartDemo
{
    private const int Steps = 5;

    private readonly QuickStartSettings _settings;
    private readonly TimeProvider _time;
    private readonly StoryWriter _story;
    private readonly QuickStartResult _result = new();

    private StoryPhase _phase = StoryPhase.Starting;
    // What the story needs of the last credential it saw, not the credential itself (CC0001: never keep one).
    private string? _currentKeyId;
    private DateTimeOffset? _currentExpiration;
    private int _credentialNumber;
    private int _staleUsesThisOutage;
    private long _faultsReported;
    private HealthStatus? _lastHealth;
    private (int Credential, StoryPhase Phase, bool Stale) _lastSignedCallShown;

    public QuickStartDemo(QuickStartSettings settings, TextWriter output, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _story = new StoryWriter(output, time);
    }

    /// <summary>Runs the story and returns what happened. Never prints a secret.</summary>
    public async Task<QuickStartResult> RunAsync(CancellationToken cancellationToken)
    {
        _story.Plain("CloudCredentials quick start: one credential registration, a local cloud emulator, and about a minute of credential use.");
        _story.Plain(string.Empty);

        if (!File.Exists(Path.Combine(_settings.ContentRoot, "appsettings.json")))
        {
            return SetupFailed($"appsettings.json was not found in {_settings.ContentRoot}; start the sample with `dotnet run --project samples/QuickStart`.");
        }

        // Step 1: the emulator speaks STS, ECS metadata and a credentials URI on 127.0.0.1 and issues random fake
        // credentials. Its clock is ours, so the credentials it issues expire on the same timeline the library sees.
        await using CloudEmulator emulator = await CloudEmulator.StartAsync(
            new EmulatorOptions { TimeProvider = _time, CredentialLifetime = _settings.CredentialLifetime },
            cancellationToken);
        _story.Step(1, Steps, $"Started the local cloud emulator at {emulator.BaseAddress} (STS, ECS metadata, credentials URI; loopback only).");
        _story.More("Its STS also answers GetCallerIdentity, verifying the V3 signature (ACS3-HMAC-SHA256) with its own code.");
        _story.More(string.Create(CultureInfo.InvariantCulture, $"Its STS issues session credentials that live {_settings.CredentialLifetime.TotalSeconds:0} s, so you will see them refreshed."));

        // Step 2: the app's own setup, as in any host: AddCloudCredentials binds the "CloudCredentials" section.
        using (IHost host = BuildHost(emulator))
        {
            try
            {
                DescribeConfiguration(host.Services.GetRequiredService<IOptions<CloudCredentialsOptions>>().Value);

                // Refresh:WarmUpOnStart is on: host start fetches the first credential (and would fail without one).
                await host.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is CredentialUnavailableException or OptionsValidationException)
            {
                return SetupFailed("The host did not start: " + ex.Message);
            }

            CancellationToken stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
            try
            {
                await UseCredentialsAsync(host.Services, emulator, linked.Token);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                Fail("Stopped before the end (Ctrl+C).");
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }

        QuickStartSummary.Print(_result, _story);
        return _result;
    }

    private IHost BuildHost(CloudEmulator emulator)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = _settings.ContentRoot,
        });

        // appsettings.json holds the static settings (Type, RoleArn, RoleSessionName, Refresh). The STS endpoint and
        // the key pair that signs AssumeRole are only known now, so they are layered on top from memory. In a real
        // app they come from appsettings.{Environment}.json, environment variables or a secret store instead.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CloudCredentials:StsEndpoint"] = emulator.BaseAddress.ToString(),
            ["CloudCredentials:AccessKeyId"] = EmulatorOptions.DefaultAccessKeyId,
            ["CloudCredentials:AccessKeySecret"] = EmulatorOptions.DefaultAccessKeySecret,
        });

        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new StoryLoggerProvider(_story));

        // The library takes its clock from DI (the system clock unless one is registered).
        builder.Services.AddSingleton(_time);
        builder.Services.AddCloudCredentials(builder.Configuration);
        builder.Services.AddHealthChecks().AddCloudCredentialsCheck();

        // The app's cloud calls: a named HttpClient whose signer asks ICredentialSource on every attempt.
        SignedCalls.AddClient(builder.Services, emulator.BaseAddress);
        builder.Services.AddSingleton<SignedCalls>();
        _settings.ConfigureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    private void DescribeConfiguration(CloudCredentialsOptions options)
    {
        _story.Step(2, Steps, "Registered services.AddCloudCredentials(builder.Configuration) and the health check. Effective settings:");
        _story.More($"from appsettings.json:  Type={options.Type}  RoleArn={options.RoleArn}  RoleSessionName={options.RoleSessionName}");
        _story.More(string.Create(
            CultureInfo.InvariantCulture,
            $"                        Refresh:RefreshBefore={options.Refresh.RefreshBefore.TotalSeconds:0} s  Refresh:WarmUpOnStart={options.Refresh.WarmUpOnStart}"));
        _story.More($"layered from memory:    StsEndpoint={options.StsEndpoint}  AccessKeyId={CloudCredential.MaskAccessKeyId(options.AccessKeyId)}  AccessKeySecret=(never shown)");
    }

    private async Task UseCredentialsAsync(IServiceProvider services, CloudEmulator emulator, CancellationToken cancellationToken)
    {
        var credentials = services.GetRequiredService<ICredentialSource>();
        var health = services.GetRequiredService<HealthCheckService>();
        var signed = services.GetRequiredService<SignedCalls>();
        DateTimeOffset end = _time.GetUtcNow() + _settings.Duration;
        string howLong = _settings.StopWhenComplete
            ? string.Create(CultureInfo.InvariantCulture, $"until the story is complete (at most {_settings.Duration.TotalSeconds:0} s)")
            : string.Create(CultureInfo.InvariantCulture, $"for {_settings.Duration.TotalSeconds:0} s");
        _story.More(string.Create(CultureInfo.InvariantCulture, $"Using the credential every {_settings.UseInterval.TotalSeconds:0.#} s {howLong}, each use followed by a signed GetCallerIdentity call."));

        int usesAfterRecovery = 0;
        while (_time.GetUtcNow() < end)
        {
            // Ask on every use; never keep the credential. A ValueTask completed on return was answered from memory.
            ValueTask<CloudCredential> pending = credentials.GetCredentialAsync(cancellationToken);
            bool fromMemory = pending.IsCompleted;
            CloudCredential credential;
            try
            {
                credential = await pending;
            }
            catch (CredentialUnavailableException ex)
            {
                _story.Line("  use failed: " + ex.Message);
                Fail("A credential use failed: " + ex.Message);
                return;
            }

            HealthReport report = await health.CheckHealthAsync(cancellationToken);
            _result.Uses++;
            _result.UsesThatWaited += fromMemory ? 0 : 1;

            if (!string.Equals(credential.AccessKeyId, _currentKeyId, StringComparison.Ordinal))
            {
                OnNewCredential(credential, emulator);
            }

            ReportFailures(emulator);
            ReportHealth(report);
            bool stale = report.Status == HealthStatus.Degraded && _phase is StoryPhase.Outage or StoryPhase.WaitingForRecovery;
            if (stale)
            {
                _result.StaleUses++;
                _staleUsesThisOutage++;
            }

            PrintUse(credential, fromMemory, report.Status, stale);
            await SignedCallAsync(signed, stale, cancellationToken);

            if (_phase == StoryPhase.Outage && (_staleUsesThisOutage >= _settings.StaleUsesBeforeRecovery || TimeLeft(credential) < TimeSpan.FromSeconds(10)))
            {
                EndOutage(emulator);
            }

            if (_phase == StoryPhase.Recovered && _settings.StopWhenComplete && ++usesAfterRecovery > _settings.UsesAfterRecovery)
            {
                break;
            }

            await (_settings.PauseBetweenUses?.Invoke(_settings.UseInterval, cancellationToken)
                ?? Task.Delay(_settings.UseInterval, _time, cancellationToken));
        }

        ReportFailures(emulator);
    }

    private void OnNewCredential(CloudCredential credential, CloudEmulator emulator)
    {
        TimeSpan? previousLeft = _currentKeyId is null ? null : TimeLeft(_currentExpiration);
        _currentKeyId = credential.AccessKeyId;
        _currentExpiration = credential.Expiration;
        _credentialNumber++;
        _result.Credentials++;
        string left = previousLeft is { } l ? Seconds(l) : "?";

        switch (_phase)
        {
            case StoryPhase.Starting:
                _result.Provider = credential.ProviderName;
                _story.Line($"  First credential #{_credentialNumber} from {credential.ProviderName}, fetched during host start (WarmUpOnStart).");
                _phase = StoryPhase.WaitingForRefresh;
                break;

            case StoryPhase.WaitingForRefresh:
                _result.RefreshLeadTime = previousLeft;
                _story.Step(3, Steps, $"Background refresh: credential #{_credentialNumber} replaced #{_credentialNumber - 1} while #{_credentialNumber - 1} still had {left} left.");
                _story.More("The refresh ran in the background at the refresh point (expiry - RefreshBefore); callers kept getting #"
                    + (_credentialNumber - 1).ToString(CultureInfo.InvariantCulture) + " from memory meanwhile.");
                StartOutage(credential, emulator);
                break;

            case StoryPhase.Outage:
                // The outage fails every STS request, so a new credential now means the emulator was not reached.
                Fail($"Credential #{_credentialNumber} arrived during the STS outage; the outage did not take effect.");
                _phase = StoryPhase.Recovered;
                break;

            case StoryPhase.WaitingForRecovery:
                _result.RecoveryLeadTime = previousLeft;
                _story.Line($"  Recovered: credential #{_credentialNumber} replaced the stale #{_credentialNumber - 1}, which still had {left} left. No use failed.");
                _phase = StoryPhase.Recovered;
                break;

            default:
                _story.Line($"  Background refresh: credential #{_credentialNumber} replaced #{_credentialNumber - 1}, which still had {left} left.");
                break;
        }
    }

    private async Task SignedCallAsync(SignedCalls signed, bool stale, CancellationToken cancellationToken)
    {
        (string? arn, string outcome) = await signed.GetCallerIdentityAsync(cancellationToken);
        bool duringOutage = _phase is StoryPhase.Outage or StoryPhase.WaitingForRecovery;
        _result.SignedCalls = signed.Calls;
        _result.SignedCallsOk = signed.Succeeded;
        _result.SignedCallsOkDuringOutage += arn is not null && duringOutage ? 1 : 0;
        if (arn is null)
        {
            _story.Line($"  signed GetCallerIdentity FAILED: {outcome}");
            Fail($"A signed GetCallerIdentity call failed: {outcome}");
        }
        else if (_lastSignedCallShown != (_credentialNumber, _phase, stale))
        {
            // One line per step, credential and health; every use makes the call.
            string note = stale ? " (refreshes fail; the cached, still-valid credential signs)"
                : duringOutage ? " (STS AssumeRole is down; the call does not need it)" : string.Empty;
            _story.Line($"        signed GetCallerIdentity with credential #{_credentialNumber}: {outcome} {arn}{note}");
        }

        _lastSignedCallShown = (_credentialNumber, _phase, stale);
    }

    private void StartOutage(CloudCredential credential, CloudEmulator emulator)
    {
        // Every STS RPC request (AssumeRole) now gets 503 ServiceUnavailable until EndOutage clears it. The V3-signed
        // GetCallerIdentity calls are a separate fault service (StsV3), so they keep working with the cached credential.
        emulator.InjectFault(
            EmulatorService.Sts,
            EmulatorFault.StsError(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
            count: 100_000);
        _result.OutageInjected = true;
        _phase = StoryPhase.Outage;
        _story.Step(4, Steps, "STS outage: from now on the emulator answers every STS AssumeRole request with 503 ServiceUnavailable.");
        string nextRefresh = _result.RefreshLeadTime is { } lead && credential.Expiration is { } expiration
            ? " (in about " + Seconds(expiration - lead - _time.GetUtcNow()) + ")"
            : string.Empty;
        _story.More($"Nobody notices until credential #{_credentialNumber} is due for refresh{nextRefresh}: uses are answered from memory.");
    }

    private void EndOutage(CloudEmulator emulator)
    {
        emulator.ClearFaults();
        _phase = StoryPhase.WaitingForRecovery;
        _story.Step(5, Steps, "STS is back: the outage is over. The cache's next retry (exponential backoff) gets a fresh credential.");
    }

    private void ReportFailures(CloudEmulator emulator)
    {
        long served = emulator.Stats.FaultsServed;
        if (served == _faultsReported)
        {
            return;
        }

        string note = _faultsReported == 0 ? " (the HTTP client retries each refresh attempt a few times before it fails)" : string.Empty;
        _result.FailedStsRequests = served;
        _story.Line(string.Create(CultureInfo.InvariantCulture, $"  STS has answered 503 to {served} request(s) so far{note}."));
        _faultsReported = served;
    }

    private void ReportHealth(HealthReport report)
    {
        if (_lastHealth == report.Status)
        {
            return;
        }

        if (_lastHealth is not null)
        {
            string meaning = report.Status switch
            {
                HealthStatus.Degraded => " (refreshes fail; the still-valid credential is served: stale-if-error)",
                HealthStatus.Healthy => " (the credential is fresh again)",
                _ => " (no valid credential)",
            };
            _story.Line($"  Health check: {_lastHealth} -> {report.Status}{meaning}.");
        }

        _lastHealth = report.Status;
    }

    private void PrintUse(CloudCredential credential, bool fromMemory, HealthStatus health, bool stale)
    {
        string expiresIn = credential.Expiration is not null ? "expires in " + Seconds(TimeLeft(credential)).PadLeft(4) : "does not expire";
        string how = fromMemory ? "from memory" : "waited for a fetch";
        string note = stale ? "  <- stale-if-error: refresh failing, still valid" : string.Empty;
        _story.Line(string.Create(
            CultureInfo.InvariantCulture,
            $"  use {_result.Uses,3}: credential #{_credentialNumber} {CloudCredential.MaskAccessKeyId(credential.AccessKeyId)} ({credential.ProviderName}) {expiresIn}, {how}, health {health}{note}"));
    }

    private QuickStartResult SetupFailed(string problem)
    {
        Fail(problem);
        _story.Plain("QuickStart FAILED: " + problem);
        return _result;
    }

    private void Fail(string problem) => _result.AddProblem(problem);

    private TimeSpan TimeLeft(CloudCredential credential) => TimeLeft(credential.Expiration);

    private TimeSpan TimeLeft(DateTimeOffset? expiration) =>
        expiration is { } at ? at - _time.GetUtcNow() : TimeSpan.MaxValue;

    private static string Seconds(TimeSpan value) => QuickStartSummary.Seconds(value);
}
