using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CloudCredentials.DependencyInjection;

/// <summary>
/// Tells <see cref="IOptionsMonitor{TOptions}"/> that a registration's configuration changed, but only once the
/// changed configuration passes validation.
/// </summary>
/// <remarks>
/// The stock <c>ConfigurationChangeTokenSource</c> fires on every change. The monitor then re-creates the options,
/// and an invalid change throws <see cref="OptionsValidationException"/> out of <c>IConfigurationRoot.Reload</c>
/// (or the file watcher) before any listener runs, and the failed creation stays cached, so every later
/// <c>IOptionsMonitor.Get</c> of the registration (HttpClient settings included) throws too. Here an invalid change
/// is logged and ignored: the monitor keeps the last valid options and the registration keeps its provider.
/// </remarks>
internal sealed class ValidatedConfigurationChangeTokenSource : IOptionsChangeTokenSource<CloudCredentialsOptions>, IDisposable
{
    private readonly IServiceProvider _services;
    private readonly IDisposable _subscription;
    private readonly object _gate = new();
    private CancellationTokenSource _changed = new();

    public ValidatedConfigurationChangeTokenSource(string name, IConfiguration configuration, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Name = name;
        _services = services;
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, OnConfigurationChanged);
    }

    /// <summary>Gets the options name (the registration name).</summary>
    public string Name { get; }

    /// <inheritdoc />
    public IChangeToken GetChangeToken()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        lock (_gate)
        {
            _changed.Dispose();
        }
    }

    private void OnConfigurationChanged()
    {
        ILogger logger = (_services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("CloudCredentials.Registration");
        CloudCredentialsOptions changed;
        try
        {
            changed = _services.GetRequiredService<IOptionsFactory<CloudCredentialsOptions>>().Create(Name);
        }
        catch (OptionsValidationException ex)
        {
            // The messages name keys and fixes, never values of secrets.
            RegistrationLog.ReloadRejected(logger, Name, ex.Message);
            return;
        }

        // Every registration shares the configuration root, so a change anywhere fires here: rebuild (and re-fetch)
        // only when this registration's own settings changed.
        if (IsUnchanged(changed))
        {
            return;
        }

        CancellationTokenSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        try
        {
            previous.Cancel();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // The configuration changed again, to something invalid, between the check above and the monitor's reload.
            RegistrationLog.ReloadRejected(logger, Name, string.Join("; ", ex.InnerExceptions.Select(e => e.Message)));
        }
    }

    private bool IsUnchanged(CloudCredentialsOptions changed)
    {
        CloudCredentialsOptions current;
        try
        {
            current = _services.GetRequiredService<IOptionsMonitor<CloudCredentialsOptions>>().Get(Name);
        }
        catch (OptionsValidationException)
        {
            return false;
        }

        return Fingerprint(current).AsSpan().SequenceEqual(Fingerprint(changed));
    }

    /// <summary>A hash of every public setting (secrets included, so only the hash is kept and compared).</summary>
    private static byte[] Fingerprint(CloudCredentialsOptions options)
        => System.Security.Cryptography.SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(options));
}
