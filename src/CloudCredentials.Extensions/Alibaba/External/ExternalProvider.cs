using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Processes;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.External;

/// <summary>
/// The CLI <c>External</c> profile mode (<c>process_command</c>): runs a command, without a shell, that prints a
/// credential as JSON on stdout: <c>{"mode":"AK"|"StsToken","access_key_id","access_key_secret","sts_token","expiration"}</c>.
/// </summary>
/// <remarks>
/// <para><see cref="ExternalProcessRunner"/> runs the command (killing it after <see cref="ExternalSpec.Timeout"/>)
/// and <see cref="ExternalOutputParser"/> turns its stdout into the credential.</para>
/// <para>After a success the credential is written back to the profile (<c>access_key_id</c>,
/// <c>access_key_secret</c>, <c>sts_token</c>, <c>sts_expiration</c>) when a config path and profile are given;
/// a failed write is only logged.</para>
/// </remarks>
internal sealed class ExternalProvider : ICredentialProvider
{
    /// <summary>The provider name: <c>external</c>.</summary>
    public const string Name = CredentialProviderNames.External;

    /// <summary>How long before expiry the cache should refresh: 180 s.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromSeconds(180);

    private readonly ExternalSpec _spec;
    private readonly CliConfigWriter? _writer;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the provider.</summary>
    /// <param name="spec">The command, timeout and write-back target.</param>
    /// <param name="writer">Writes the credential back to the profile; <see langword="null"/> for no write-back.</param>
    /// <param name="timeProvider">The clock for the timeout and for checking the expiration.</param>
    /// <param name="logger">The logger; it never receives the command line, its output or a key.</param>
    public ExternalProvider(ExternalSpec spec, CliConfigWriter? writer, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(spec.Timeout, TimeSpan.Zero, nameof(spec));
        _spec = spec;
        _writer = writer;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <inheritdoc />
    public async ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> argv = SplitCommand();
        string where = Where();
        string stdout = await new ExternalProcessRunner(_spec.Timeout, where, _timeProvider, _logger)
            .RunAsync(argv, cancellationToken)
            .ConfigureAwait(false);
        CloudCredential credential = new ExternalOutputParser(where, _timeProvider).Parse(stdout);
        await WriteBackAsync(credential).ConfigureAwait(false);
        return credential;
    }

    private IReadOnlyList<string> SplitCommand()
    {
        IReadOnlyList<string> argv;
        try
        {
            argv = CommandLineSplitter.Split(_spec.Command ?? string.Empty, OperatingSystem.IsWindows());
        }
        catch (FormatException ex)
        {
            throw new CredentialUnavailableException(Name, $"invalid process_command{Where()}: {ex.Message}", null);
        }

        if (argv.Count == 0)
        {
            throw new CredentialUnavailableException(Name, $"process_command{Where()} is empty; set it with 'aliyun configure --mode External'", null);
        }

        return argv;
    }

    private async Task WriteBackAsync(CloudCredential credential)
    {
        if (_writer is null || string.IsNullOrEmpty(_spec.ConfigPath) || string.IsNullOrEmpty(_spec.ProfileName))
        {
            return;
        }

        long expiration = credential.Expiration?.ToUnixTimeSeconds() ?? 0;
        try
        {
            await _writer.UpdateProfileAsync(
                _spec.ConfigPath,
                _spec.ProfileName,
                profile =>
                {
                    profile["access_key_id"] = credential.AccessKeyId;
                    profile["access_key_secret"] = credential.AccessKeySecret;
                    profile["sts_token"] = credential.SecurityToken ?? string.Empty;
                    profile["sts_expiration"] = expiration;
                },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The writer's messages name files and profiles, never values.
            Log.ExternalWriteBackFailed(_logger, ex, _spec.ProfileName, _spec.ConfigPath);
        }
    }

    private string Where() => _spec.ProfileName is { Length: > 0 } p ? $" (profile '{p}')" : string.Empty;
}
