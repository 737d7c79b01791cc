using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Internal;
using CloudCredentials.Providers;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.External;

/// <summary>
/// The CLI <c>External</c> profile mode (<c>process_command</c>): runs a command, without a shell, that prints a
/// credential as JSON on stdout: <c>{"mode":"AK"|"StsToken","access_key_id","access_key_secret","sts_token","expiration"}</c>.
/// </summary>
/// <remarks>
/// <para>The command runs with the current environment and no stdin; stdout and stderr are read concurrently, so a
/// chatty command cannot deadlock. After <see cref="ExternalSpec.Timeout"/> the whole process tree is killed.
/// stdout holds secrets and is never quoted in an error or log; a short stderr excerpt is, on failure.</para>
/// <para>An <c>AK</c> result without an expiration is an <c>access_key</c> credential that the cache keeps like a
/// static one; otherwise the credential carries its expiration and asks to be refreshed 180 s before it.</para>
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

    private const int MaxStdoutChars = 1024 * 1024;
    private const int MaxStderrChars = 64 * 1024;
    private const int StderrExcerptChars = 500;

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
        string stdout = await RunAsync(argv, cancellationToken).ConfigureAwait(false);
        CloudCredential credential = ParseOutput(stdout);
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

    private async Task<string> RunAsync(IReadOnlyList<string> argv, CancellationToken cancellationToken)
    {
        string program = argv[0];
        var startInfo = new ProcessStartInfo
        {
            FileName = program,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        for (int i = 1; i < argv.Count; i++)
        {
            startInfo.ArgumentList.Add(argv[i]);
        }

        using var process = new Process { StartInfo = startInfo };
        long started = _timeProvider.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            // The message names the program and the OS error, not the arguments.
            throw new CredentialUnavailableException(Name, $"failed to start external command '{program}'{Where()}: {ex.Message}; check process_command", ex);
        }

        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command may already have exited; it does not read stdin anyway.
        }

        Task<BoundedText> stdoutTask = ReadBoundedAsync(process.StandardOutput, MaxStdoutChars);
        Task<BoundedText> stderrTask = ReadBoundedAsync(process.StandardError, MaxStderrChars);

        using var timeout = new CancellationTokenSource(_spec.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        BoundedText stdout;
        BoundedText stderr;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);

            // A grandchild that keeps the pipes open must not hold us past the timeout either.
            stdout = await stdoutTask.WaitAsync(linked.Token).ConfigureAwait(false);
            stderr = await stderrTask.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            KillTree(process);
            cancellationToken.ThrowIfCancellationRequested();
            long timeoutMs = (long)_spec.Timeout.TotalMilliseconds;
            SessionProviderLog.ExternalCommandTimedOut(_logger, program, timeoutMs);
            throw new CredentialUnavailableException(
                Name,
                string.Create(CultureInfo.InvariantCulture, $"command process timed out after {timeoutMs} milliseconds{Where()}; make the command faster or raise the timeout"),
                null);
        }

        int exitCode = process.ExitCode;
        SessionProviderLog.ExternalCommandFinished(_logger, program, exitCode, (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
        if (exitCode != 0)
        {
            string excerpt = SecretRedactor.RedactMessage(Excerpt(stderr.Text));
            string detail = excerpt.Length == 0 ? string.Empty : $"\nstderr: {excerpt}";
            throw new CredentialUnavailableException(
                Name,
                string.Create(CultureInfo.InvariantCulture, $"failed to execute external command: exit status {exitCode}{Where()}{detail}"),
                null);
        }

        if (stdout.Truncated)
        {
            throw new CredentialUnavailableException(Name, $"failed to parse external command output{Where()}: it is longer than {MaxStdoutChars} characters", null);
        }

        return stdout.Text;
    }

    private CloudCredential ParseOutput(string stdout)
    {
        try
        {
            using var document = JsonDocument.Parse(stdout);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"failed to parse external command output{Where()}: expected a JSON object on stdout");
            }

            string? mode = CredentialJson.GetString(root, "mode");
            string? accessKeyId = CredentialJson.GetString(root, "access_key_id");
            string? accessKeySecret = CredentialJson.GetString(root, "access_key_secret");
            string? securityToken = CredentialJson.GetString(root, "sts_token");
            if (accessKeyId is null || accessKeySecret is null)
            {
                throw Invalid($"invalid credential response{Where()}: access_key_id or access_key_secret is empty");
            }

            bool stsMode = string.Equals(mode, "StsToken", StringComparison.OrdinalIgnoreCase);
            if (stsMode && securityToken is null)
            {
                throw Invalid($"invalid StsToken credential response{Where()}: sts_token is empty");
            }

            DateTimeOffset? expiration = null;
            string? expirationText = CredentialJson.GetString(root, "expiration");
            if (expirationText is not null)
            {
                if (!CredentialJson.TryParseLenientExpiration(expirationText, out DateTimeOffset parsed))
                {
                    throw Invalid($"failed to parse external command output{Where()}: expiration is not a UTC time like 2026-01-01T00:00:00Z");
                }

                if (parsed <= _timeProvider.GetUtcNow())
                {
                    throw Invalid($"the external command{Where()} returned a credential that expired at {CredentialJson.FormatUtc(parsed)}");
                }

                expiration = parsed;
            }

            // An AK answer that still carries a token is used as the session credential it is.
            string type = securityToken is null ? CredentialTypes.AccessKey : CredentialTypes.Sts;
            return new CloudCredential(type, Name)
            {
                AccessKeyId = accessKeyId,
                AccessKeySecret = accessKeySecret,
                SecurityToken = securityToken,
                Expiration = expiration,
                RefreshBefore = RefreshBefore,
            };
        }
        catch (JsonException ex)
        {
            // Position only: the output (and JsonException's message, which may quote it) holds secrets.
            throw Invalid(string.Create(
                CultureInfo.InvariantCulture,
                $"failed to parse external command output{Where()}: stdout is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0}); the command must print only the credential JSON on stdout"));
        }
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
            SessionProviderLog.ExternalWriteBackFailed(_logger, ex, _spec.ProfileName, _spec.ConfigPath);
        }
    }

    private string Where() => _spec.ProfileName is { Length: > 0 } p ? $" (profile '{p}')" : string.Empty;

    private static CredentialUnavailableException Invalid(string reason) => new(Name, reason, null);

    private static string Excerpt(string stderr)
    {
        string trimmed = stderr.Trim();
        return trimmed.Length <= StderrExcerptChars ? trimmed : string.Concat(trimmed.AsSpan(0, StderrExcerptChars), "...");
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited, or not ours to kill any more.
        }
    }

    /// <summary>Reads a stream to its end, keeping at most <paramref name="limit"/> characters and draining the rest.</summary>
    private static async Task<BoundedText> ReadBoundedAsync(StreamReader reader, int limit)
    {
        var text = new StringBuilder();
        bool truncated = false;
        char[] buffer = new char[8192];
        try
        {
            while (true)
            {
                int read = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                int keep = Math.Min(read, limit - text.Length);
                if (keep > 0)
                {
                    text.Append(buffer, 0, keep);
                }

                truncated |= keep < read;
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process was killed or disposed while we read: keep what arrived (a cut answer fails to parse).
        }

        return new BoundedText(text.ToString(), truncated);
    }

    private readonly record struct BoundedText(string Text, bool Truncated);
}
