using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudCredentials.Internal;

namespace CloudCredentials.Alibaba.Profiles;

/// <summary>
/// Writes refreshed values back into one profile of the Alibaba Cloud CLI config.json (OAuth tokens, External and
/// OAuth session credentials), safely against concurrent writers.
/// </summary>
/// <remarks>
/// <para>Each update reads the current file, applies the change to the profile's JSON object and writes the whole
/// document atomically: a temporary file in the same directory, flushed to disk, then renamed over the original, so
/// a reader never sees a half-written file. Unknown top-level and profile fields are preserved.</para>
/// <para>Writers are serialised in-process by a semaphore per file and across processes by an exclusive lock on
/// <c>&lt;path&gt;.lock</c> (opened with <see cref="FileShare.None"/>; the lock file is left in place, since deleting it
/// would let two writers lock different files). On Unix the file mode of the existing file is kept, and a new file
/// is created with mode 600.</para>
/// <para>A config.json that is a symbolic link (a dotfile manager's) is written through to the link's final target:
/// the temporary file is made beside the target and renamed over it, so the link stays a link and the target gets the
/// new values. Both <c>&lt;link&gt;.lock</c> and <c>&lt;target&gt;.lock</c> are held (in that order), so writers that reach
/// the file by the link, by another link or by the target itself exclude each other; the in-process semaphore is the
/// target's.</para>
/// <para>The temporary file is <c>.&lt;name&gt;.tmp-&lt;32 hex digits&gt;</c>, created with mode 600 given to <c>open(2)</c>
/// (so it is owner-only from its first byte: the umask can only narrow a mode), and given the replaced file's mode only
/// once written. A writer killed mid-write leaves its temporary file, which holds the secrets; every write removes such
/// files beside the file it writes (and beside the link) while it holds their locks, when no writer of this library
/// can be using one.</para>
/// </remarks>
internal sealed class CliConfigWriter
{
    /// <summary>The in-process gates of this process, one per (final target) file.</summary>
    private static readonly KeyedGates ProcessGates =
        new(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonDocumentOptions ReadOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private const UnixFileMode OwnerReadWrite = AtomicFileWriter.OwnerReadWrite;

    private readonly int _lockAttempts;
    private readonly TimeSpan _lockRetryDelay;
    private readonly TimeProvider _timeProvider;
    private readonly KeyedGates _gates;

    /// <summary>Creates a writer that waits up to about 5 s (100 attempts, 50 ms apart) for another process's lock.</summary>
    /// <param name="timeProvider">The clock the pauses between lock attempts wait on; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public CliConfigWriter(TimeProvider? timeProvider = null)
        : this(100, TimeSpan.FromMilliseconds(50), timeProvider)
    {
    }

    /// <summary>Creates a writer with a custom bound on waiting for the cross-process lock.</summary>
    /// <param name="lockAttempts">How many times to try to take the lock file before giving up (at least 1).</param>
    /// <param name="lockRetryDelay">The pause between attempts.</param>
    /// <param name="timeProvider">The clock the pauses wait on; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="processGates">
    /// The in-process gates per file; <see langword="null"/> for the process's own set, shared by every writer. A test
    /// passes a set of its own to play another process, which only the lock file then keeps out.
    /// </param>
    public CliConfigWriter(int lockAttempts, TimeSpan lockRetryDelay, TimeProvider? timeProvider = null, KeyedGates? processGates = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lockAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lockRetryDelay, TimeSpan.Zero);
        _lockAttempts = lockAttempts;
        _lockRetryDelay = lockRetryDelay;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _gates = processGates ?? ProcessGates;
    }

    /// <summary>Applies <paramref name="update"/> to the profile named <paramref name="profileName"/> and saves the file.</summary>
    /// <param name="configPath">The config.json path.</param>
    /// <param name="profileName">The profile's <c>name</c>.</param>
    /// <param name="update">Changes the profile's JSON object in place; it runs under the lock, so keep it short.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a regular file of at most 1 MiB, not a JSON object with a
    /// <c>profiles</c> array, or the profile is missing.</exception>
    /// <exception cref="IOException">The file or its lock could not be opened, read or written. Messages name files, never values.</exception>
    public Task UpdateProfileAsync(string configPath, string profileName, Action<JsonObject> update, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        ArgumentException.ThrowIfNullOrEmpty(profileName);
        ArgumentNullException.ThrowIfNull(update);

        return RunLockedAsync(
            configPath,
            profileName,
            locked =>
            {
                locked.UpdateProfile(profileName, update);
                return Task.FromResult(true);
            },
            cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="body"/> while holding the file's in-process gate and its cross-process lock files, so a
    /// caller can read the file, decide, call out and write back (<see cref="LockedCliConfig.UpdateProfile"/>) with no
    /// other writer of this library in between, in this process or another.
    /// </summary>
    /// <typeparam name="T">What <paramref name="body"/> returns.</typeparam>
    /// <param name="configPath">The config.json path (a symbolic link is followed, as for <see cref="UpdateProfileAsync"/>).</param>
    /// <param name="body">
    /// The work under the lock. Every other writer of the file waits for it, so it must end (bound its calls with
    /// timeouts); it must write only through the <see cref="LockedCliConfig"/> it gets, never through
    /// <see cref="UpdateProfileAsync"/> (which would wait for this very lock).
    /// </param>
    /// <param name="cancellationToken">Cancels waiting for the lock (the body gets its own token from the caller).</param>
    /// <returns>What <paramref name="body"/> returned.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist; <paramref name="body"/> did not run.</exception>
    /// <exception cref="IOException">The link could not be followed or a lock could not be taken; <paramref name="body"/> did not run.</exception>
    /// <exception cref="UnauthorizedAccessException">A lock file could not be created; <paramref name="body"/> did not run.</exception>
    public Task<T> WithLockAsync<T>(string configPath, Func<LockedCliConfig, Task<T>> body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        ArgumentNullException.ThrowIfNull(body);
        return RunLockedAsync(configPath, null, body, cancellationToken);
    }

    private async Task<T> RunLockedAsync<T>(string configPath, string? profileName, Func<LockedCliConfig, Task<T>> body, CancellationToken cancellationToken)
    {
        string fullPath = Path.GetFullPath(configPath);
        string target = ResolveFinalTarget(fullPath);
        if (!File.Exists(target))
        {
            // Checked before locking too, so no stray lock file is left beside a missing config.
            throw NotFound(fullPath, target, profileName);
        }

        SemaphoreSlim gate = _gates.For(target);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The link's lock first, then the target's: every writer takes the target's last, so none waits in a cycle.
            using FileStream? linkLock = target == fullPath
                ? null
                : await AcquireLockFileAsync(fullPath + ".lock", cancellationToken).ConfigureAwait(false);
            using FileStream targetLock = await AcquireLockFileAsync(target + ".lock", cancellationToken).ConfigureAwait(false);
            AtomicFileWriter.RemoveStaleTempFiles(target);
            if (linkLock is not null)
            {
                AtomicFileWriter.RemoveStaleTempFiles(fullPath); // Left by writers that did not follow the link.
            }

            var locked = new LockedCliConfig(fullPath, target);
            try
            {
                return await body(locked).ConfigureAwait(false);
            }
            finally
            {
                locked.Close();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The file <paramref name="fullPath"/> finally names: itself, or the last target of a chain of symbolic links
    /// (a relative link target counts from the link's folder).
    /// </summary>
    /// <exception cref="IOException">The link cannot be followed (a loop, too many levels, no access).</exception>
    internal static string ResolveFinalTarget(string fullPath)
    {
        try
        {
            FileSystemInfo? target = File.ResolveLinkTarget(fullPath, returnFinalTarget: true);
            return target is null ? fullPath : Path.GetFullPath(target.FullName);
        }
        catch (FileNotFoundException)
        {
            return fullPath; // Not there at all: reported as not found by the caller.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"unable to follow the symbolic link {fullPath}: {ex.Message}", ex);
        }
    }

    internal static FileNotFoundException NotFound(string fullPath, string target, string? profileName)
    {
        string purpose = profileName is null ? "cannot lock it for a write-back" : $"cannot write back profile '{profileName}'";
        return target == fullPath
            ? new FileNotFoundException($"{fullPath} not found; {purpose}", fullPath)
            : new FileNotFoundException($"{fullPath} is a symbolic link to {target}, which does not exist; {purpose}", target);
    }

    private async Task<FileStream> AcquireLockFileAsync(string lockPath, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var options = new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate,
                    Access = FileAccess.ReadWrite,
                    Share = FileShare.None,
                };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = OwnerReadWrite;
                }

                return new FileStream(lockPath, options);
            }
            catch (IOException ex) when (attempt < _lockAttempts && ex is not FileNotFoundException and not DirectoryNotFoundException)
            {
                // Held by another process (sharing violation / flock conflict): wait briefly and try again.
                await Task.Delay(_lockRetryDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new IOException($"unable to lock {lockPath} after {attempt} attempt(s): another process may be writing the CLI config; {ex.Message}", ex);
            }
        }
    }

    /// <summary>Reads <paramref name="path"/>, applies <paramref name="update"/> to the profile and writes the file atomically. The caller holds the locks.</summary>
    internal static void UpdateLocked(string fullPath, string path, string profileName, Action<JsonObject> update)
    {
        if (!File.Exists(path))
        {
            throw NotFound(fullPath, path, profileName);
        }

        // A FIFO, a device or a file over 1 MiB throws an InvalidDataException naming the file.
        string text = BoundedFileReader.ReadAllText(path, BoundedFileReader.ProfileFileMaxBytes);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: ReadOptions) as JsonObject
                ?? throw new InvalidDataException($"{path} does not contain a JSON object");
        }
        catch (JsonException ex)
        {
            // Positions only: JsonException messages may quote a character of the content.
            throw new InvalidDataException($"{path} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})", ex);
        }

        JsonObject profile = FindProfile(root, profileName)
            ?? throw new InvalidDataException($"profile '{profileName}' not found in {path}");
        update(profile);

        string json = root.ToJsonString(WriteOptions);
        AtomicFileWriter.Write(path, json);
    }

    private static JsonObject? FindProfile(JsonObject root, string profileName)
    {
        if (!root.TryGetPropertyValue("profiles", out JsonNode? list) || list is not JsonArray profiles)
        {
            return null;
        }

        foreach (JsonNode? item in profiles)
        {
            if (item is JsonObject profile
                && profile.TryGetPropertyValue("name", out JsonNode? name)
                && name is JsonValue value
                && value.GetValueKind() == JsonValueKind.String
                && string.Equals(value.GetValue<string>(), profileName, StringComparison.Ordinal))
            {
                return profile;
            }
        }

        return null;
    }
}
