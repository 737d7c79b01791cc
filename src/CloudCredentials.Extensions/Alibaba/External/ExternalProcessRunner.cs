using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.External;

/// <summary>
/// Runs the <c>process_command</c> of an <see cref="ExternalProvider"/>, without a shell, and returns its stdout.
/// </summary>
/// <remarks>
/// The command runs with the current environment and no stdin; stdout and stderr are read concurrently, so a chatty
/// command cannot deadlock. After the timeout the whole process tree is killed. stdout holds secrets and is never
/// quoted in an error or log; a short stderr excerpt is, on failure.
/// </remarks>
internal sealed class ExternalProcessRunner
{
    private const string Name = ExternalProvider.Name;
    private const int MaxStdoutChars = 1024 * 1024;
    private const int MaxStderrChars = 64 * 1024;
    private const int StderrExcerptChars = 500;

    private readonly TimeSpan _timeout;
    private readonly string _where;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the runner.</summary>
    /// <param name="timeout">How long the command may run before its process tree is killed.</param>
    /// <param name="where">Names the profile in error messages, such as <c> (profile 'ext')</c>, or is empty.</param>
    /// <param name="timeProvider">The clock for the timeout and the duration that is logged.</param>
    /// <param name="logger">The logger; it never receives the arguments or the output.</param>
    public ExternalProcessRunner(TimeSpan timeout, string where, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _timeout = timeout;
        _where = where;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Runs the command and returns what it printed on stdout.</summary>
    /// <param name="argv">The program and its arguments; at least the program.</param>
    /// <param name="cancellationToken">Cancels the run (the process tree is killed).</param>
    /// <returns>The whole stdout of a command that exited with status 0.</returns>
    /// <exception cref="CredentialUnavailableException">The command could not start, timed out, failed, or printed too much.</exception>
    public async Task<string> RunAsync(IReadOnlyList<string> argv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count, nameof(argv));
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
            throw new CredentialUnavailableException(Name, $"failed to start external command '{program}'{_where}: {ex.Message}; check process_command", ex);
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

        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
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
            long timeoutMs = (long)_timeout.TotalMilliseconds;
            Log.ExternalCommandTimedOut(_logger, program, timeoutMs);
            throw new CredentialUnavailableException(
                Name,
                string.Create(CultureInfo.InvariantCulture, $"command process timed out after {timeoutMs} milliseconds{_where}; make the command faster or raise the timeout"),
                null);
        }

        int exitCode = process.ExitCode;
        Log.ExternalCommandFinished(_logger, program, exitCode, (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
        if (exitCode != 0)
        {
            string excerpt = SecretRedactor.RedactMessage(Excerpt(stderr.Text));
            string detail = excerpt.Length == 0 ? string.Empty : $"\nstderr: {excerpt}";
            throw new CredentialUnavailableException(
                Name,
                string.Create(CultureInfo.InvariantCulture, $"failed to execute external command: exit status {exitCode}{_where}{detail}"),
                null);
        }

        if (stdout.Truncated)
        {
            throw new CredentialUnavailableException(Name, $"failed to parse external command output{_where}: it is longer than {MaxStdoutChars} characters", null);
        }

        return stdout.Text;
    }

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
