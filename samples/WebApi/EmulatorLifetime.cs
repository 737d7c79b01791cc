using CloudCredentials.Emulator;

namespace CloudCredentials.Samples.WebApi;

/// <summary>
/// Owns the in-process emulator. The emulator starts while the app is built (its address goes into the
/// configuration); this hosted service stops it with the app, after the credential refresh service has stopped.
/// </summary>
internal sealed class EmulatorLifetime(CloudEmulator emulator) : IHostedService, IAsyncDisposable
{
    public CloudEmulator Emulator => emulator;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => emulator.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => emulator.DisposeAsync();
}
