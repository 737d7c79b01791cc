using System.Globalization;
using System.Net;
using CloudCredentials.Emulator.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Emulator;

/// <summary>
/// A local emulator of the three Alibaba Cloud credential services on one loopback port: ECS instance metadata
/// (<c>/latest/...</c>, IMDSv2 tokens that really expire), STS (<c>/</c>: signed <c>AssumeRole</c>, <c>AssumeRoleWithOIDC</c>,
/// V3-signed <c>GetCallerIdentity</c>) and a credentials URI; a V3-verifying ROA echo route (<c>/roa/echo/…</c>); and, on the
/// same port, the AWS credential services (EC2 instance metadata under <c>/latest/meta-data/iam/</c>, the container
/// endpoint, STS Query API with SigV4; see <see cref="AwsEmulatorOptions"/>). Every credential it issues is a random fake.
/// Start it with <see cref="StartAsync"/>; dispose it to stop.
/// </summary>
public sealed class CloudEmulator : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;
    private readonly FaultQueue _faults;
    private readonly CancellationTokenSource _stopping;
    private int _stopped;
    private int _disposed;

    private CloudEmulator(WebApplication app, FaultQueue faults, CancellationTokenSource stopping, EmulatorStats stats, Uri baseAddress, string credentialsUriPath)
    {
        _app = app;
        _faults = faults;
        _stopping = stopping;
        Stats = stats;
        BaseAddress = baseAddress;
        CredentialsUri = new Uri(baseAddress, credentialsUriPath);
    }

    /// <summary>
    /// Gets the base address, e.g. <c>http://127.0.0.1:54321/</c>: the value to configure as both the ECS
    /// <c>MetadataEndpoint</c> and the <c>StsEndpoint</c>.
    /// </summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the credentials URI: <see cref="BaseAddress"/> plus <see cref="EmulatorOptions.CredentialsUriPath"/>.</summary>
    public Uri CredentialsUri { get; }

    /// <summary>Gets the counters of received requests and the last STS request's parameters.</summary>
    public EmulatorStats Stats { get; }

    /// <summary>
    /// Starts an emulator on 127.0.0.1 (<see cref="EmulatorOptions.Port"/>; 0 picks a free port) and returns once it accepts connections.
    /// </summary>
    /// <param name="options">The settings, copied at start; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator.</returns>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    /// <exception cref="IOException">The port is already in use.</exception>
    public static async Task<CloudEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        EmulatorSettings settings = EmulatorSettings.From(options);
        int port = options.Port;

        var stats = new EmulatorStats();
        var faults = new FaultQueue();
        var stopping = new CancellationTokenSource();
        var handler = new EmulatorRequestHandler(settings, stats, faults, stopping.Token);

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "CloudCredentials.Emulator" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);

        // No request logging from the framework: only warnings and errors, and only where a sink is wanted (program mode).
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (options.ConsoleWarnings)
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);

            // A start failure (port in use) is reported once by the program, without the host's stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }

        WebApplication app = builder.Build();
        ((IApplicationBuilder)app).Run(handler.HandleAsync);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            stopping.Dispose();
            throw;
        }

        int boundPort = port;
        IServerAddressesFeature? addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        if (addresses?.Addresses.FirstOrDefault() is { } address)
        {
            boundPort = new Uri(address).Port;
        }

        var baseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{boundPort}/"));
        return new CloudEmulator(app, faults, stopping, stats, baseAddress, settings.CredentialsUriPath);
    }

    /// <summary>Makes the next <paramref name="count"/> requests to <paramref name="service"/> get <paramref name="fault"/>.
    /// Faults queue up in order: a second call adds after the first one's requests.</summary>
    /// <param name="service">The endpoint to disturb.</param>
    /// <param name="fault">The fault to play.</param>
    /// <param name="count">How many requests get it; at least 1.</param>
    public void InjectFault(EmulatorService service, EmulatorFault fault, int count = 1) => _faults.Add(service, fault, count);

    /// <summary>Removes every queued fault, for every service.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Stops listening; requests under way (including injected delays) are cut short. Safe to call more than once.</summary>
    /// <param name="cancellationToken">Makes the stop less graceful.</param>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the emulator (see <see cref="StopAsync"/>) and releases its resources.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
