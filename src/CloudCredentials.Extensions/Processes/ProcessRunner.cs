using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Processes;

/// <summary>What a credential command left: its exit code, stdout (kept whole up to a cap) and stderr.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Stdout">What it printed on stdout (may hold secrets: never quote it).</param>
/// <param name="StdoutTruncated">Whether stdout was longer than the cap.</param>
/// <param name="Stderr">What it printed on stderr (may echo secrets: redact before quoting).</param>
/// <param name="StderrBytes">How many bytes it wrote to stderr.</param>
internal sealed record ProcessOutcome(int ExitCode, string Stdout, bool StdoutTruncated, string Stderr, long StderrBytes);

/// <summary>
/// Runs a credential command (an Alibaba External profile's <c>process_command</c>, an AWS <c>credential_process</c>)
/// without a shell and returns what it left; the caller judges the exit code and the output.
/// </summary>
/// <remarks>
/// <para>The command runs with the current environment and no stdin; stdout and stderr are read concurrently, so a
/// chatty command cannot deadlock. After the timeout the whole process tree is killed.</para>
/// <para>The run ends when the command exits: output still in flight gets <see cref="ExitGrace"/> to arrive, and a
/// background child that still holds stdout or stderr after that is killed (on Linux, where <c>/proc</c> shows who holds
/// the pipes; elsewhere it is left running and the rest of its output is ignored). What was read is then used.</para>
/// <para>stderr is logged redacted and shortened, only at Debug.</para>
/// </remarks>
internal sealed class ProcessRunner
{
    /// <summary>The most stdout characters kept.</summary>
    public const int MaxStdoutChars = 1024 * 1024;
    private const int MaxStderrChars = 64 * 1024;
    private const int StderrExcerptChars = 500;

    /// <summary>How long after the command's exit its output may take to arrive: 500 ms.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromMilliseconds(500);

    private readonly string _providerName;
    private readonly string _setting;
    private readonly TimeSpan _timeout;
    private readonly string _where;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the runner.</summary>
    /// <param name="providerName">The provider named in errors.</param>
    /// <param name="setting">The setting that holds the command, named in a start failure (such as <c>process_command</c>).</param>
    /// <param name="timeout">How long the command may run before its process tree is killed.</param>
    /// <param name="where">Names the profile in error messages, such as <c> (profile 'ext')</c>, or is empty.</param>
    /// <param name="timeProvider">The clock for the timeout and the duration that is logged.</param>
    /// <param name="logger">The logger; it never receives the arguments or the output.</param>
    public ProcessRunner(string providerName, string setting, TimeSpan timeout, string where, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        ArgumentException.ThrowIfNullOrEmpty(setting);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _providerName = providerName;
        _setting = setting;
        _timeout = timeout;
        _where = where;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Runs the command and returns what it left.</summary>
    /// <param name="argv">The program and its arguments; at least the program.</param>
    /// <param name="cancellationToken">Cancels the run (the process tree is killed).</param>
    /// <returns>The exit code and output.</returns>
    /// <exception cref="CredentialUnavailableException">The command could not start or timed out.</exception>
    public async Task<ProcessOutcome> RunAsync(IReadOnlyList<string> argv, CancellationToken cancellationToken)
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
            throw new CredentialUnavailableException(_providerName, $"failed to start external command '{program}'{_where}: {ex.Message}; check {_setting}", ex);
        }

        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command may already have exited; it does not read stdin anyway.
        }

        var stdoutReader = new BoundedReader(process.StandardOutput, MaxStdoutChars);
        var stderrReader = new BoundedReader(process.StandardError, MaxStderrChars);
        Task drained = Task.WhenAll(stdoutReader.Completion, stderrReader.Completion);

        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);

            // Finish at the exit: a background child that keeps a pipe open must not hold the answer until it ends.
            if (!await CompletesWithinAsync(drained, ExitGrace, linked.Token).ConfigureAwait(false))
            {
                int killed = PipeHolders.Kill(process);
                Log.ExternalCommandLeftProcesses(_logger, program, killed);
                await CompletesWithinAsync(drained, ExitGrace, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            KillTree(process);
            PipeHolders.Kill(process); // children already orphaned are no longer part of the tree
            cancellationToken.ThrowIfCancellationRequested();
            long timeoutMs = (long)_timeout.TotalMilliseconds;
            Log.ExternalCommandTimedOut(_logger, program, timeoutMs);
            throw new CredentialUnavailableException(
                _providerName,
                string.Create(CultureInfo.InvariantCulture, $"command process timed out after {timeoutMs} milliseconds{_where}; make the command faster or raise the timeout"),
                null);
        }

        BoundedText stdout = stdoutReader.Snapshot();
        BoundedText stderr = stderrReader.Snapshot();
        int exitCode = process.ExitCode;
        Log.ExternalCommandFinished(_logger, program, exitCode, (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
        if (stderr.Text.Trim().Length > 0)
        {
            // stderr may echo secrets: quoted, redacted and shortened, only at Debug.
            Log.ExternalCommandStderr(_logger, program, SecretRedactor.RedactMessage(Excerpt(stderr.Text), maxLength: StderrExcerptChars));
        }

        return new ProcessOutcome(exitCode, stdout.Text, stdout.Truncated, stderr.Text, stderr.Bytes);
    }

    /// <summary>Whether <paramref name="task"/> completes within <paramref name="grace"/> on the injected clock.</summary>
    private async Task<bool> CompletesWithinAsync(Task task, TimeSpan grace, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(grace, _timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
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

    /// <summary>
    /// Reads a stream to its end in the background, keeping at most a number of characters (the rest is drained and
    /// counted). <see cref="Snapshot"/> gives what arrived so far, so a run can end before the stream does.
    /// </summary>
    private sealed class BoundedReader
    {
        private readonly object _gate = new();
        private readonly StringBuilder _text = new();
        private readonly int _limit;
        private bool _truncated;
        private long _bytes;

        public BoundedReader(StreamReader reader, int limit)
        {
            _limit = limit;
            Completion = ReadAsync(reader);
        }

        /// <summary>Completes at the end of the stream (or when reading fails because the process went away).</summary>
        public Task Completion { get; }

        public BoundedText Snapshot()
        {
            lock (_gate)
            {
                return new BoundedText(_text.ToString(), _truncated, _bytes);
            }
        }

        private async Task ReadAsync(StreamReader reader)
        {
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

                    lock (_gate)
                    {
                        int keep = Math.Min(read, _limit - _text.Length);
                        if (keep > 0)
                        {
                            _text.Append(buffer, 0, keep);
                        }

                        _truncated |= keep < read;
                        _bytes += Encoding.UTF8.GetByteCount(buffer, 0, read);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The process was killed or disposed while we read: keep what arrived (a cut answer fails to parse).
            }
        }
    }

    /// <summary>What a stream delivered: the kept text, whether more was dropped, and how many bytes arrived in all.</summary>
    private readonly record struct BoundedText(string Text, bool Truncated, long Bytes);
}
