namespace CloudCredentials.Alibaba.Profiles;

/// <summary>
/// Replaces a file that holds secrets without a reader ever seeing it half written: a temporary file
/// <c>.&lt;name&gt;.tmp-&lt;32 hex digits&gt;</c> beside it, owner-only from its first byte, renamed over the original; and
/// removes such temporary files that a writer killed mid-write left behind. The caller holds the file's locks
/// (see <see cref="CliConfigWriter"/>).
/// </summary>
internal static class AtomicFileWriter
{
    /// <summary>Mode 600: what a new file, and every temporary file from its creation, gets.</summary>
    internal const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const string TempMarker = ".tmp-";

    private static readonly System.Buffers.SearchValues<char> LowerHexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// Creates a new, empty temporary file beside <paramref name="path"/>, named <c>.&lt;name&gt;.tmp-&lt;32 hex digits&gt;</c>.
    /// On Unix mode 600 is passed to <c>open(2)</c> with <c>O_CREAT | O_EXCL</c>: the file is owner-only before its first
    /// byte (the umask can only take bits away), and an existing file or link of that name is never opened.
    /// </summary>
    /// <param name="path">The file the temporary file will replace.</param>
    /// <param name="tempPath">The temporary file's path.</param>
    /// <returns>The open file, for writing.</returns>
    internal static FileStream CreateTempFile(string path, out string tempPath)
    {
        string directory = Path.GetDirectoryName(path) ?? ".";
        tempPath = Path.Combine(directory, TempPrefix(path) + Guid.NewGuid().ToString("N"));
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        return new FileStream(tempPath, options);
    }

    private static string TempPrefix(string path) => $".{Path.GetFileName(path)}{TempMarker}";

    /// <summary>
    /// Deletes this library's temporary files beside <paramref name="path"/> (<c>.&lt;name&gt;.tmp-</c> and exactly 32
    /// hex digits). Called only while the file's cross-process lock is held, so none of them belongs to a live writer.
    /// Best effort: a file that cannot be deleted stays.
    /// </summary>
    internal static void RemoveStaleTempFiles(string path)
    {
        string directory = Path.GetDirectoryName(path) ?? ".";
        string prefix = TempPrefix(path);
        try
        {
            foreach (string candidate in Directory.EnumerateFiles(directory, "*" + TempMarker + "*"))
            {
                string name = Path.GetFileName(candidate);
                if (name.Length == prefix.Length + 32
                    && name.StartsWith(prefix, StringComparison.Ordinal)
                    && !name.AsSpan(prefix.Length).ContainsAnyExcept(LowerHexDigits))
                {
                    TryDelete(candidate);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder cannot be listed: nothing to clean that this writer could see.
        }
    }

    /// <summary>
    /// Writes <paramref name="json"/> (and a newline, UTF-8 without BOM) to <paramref name="path"/> atomically: a
    /// temporary file beside it, flushed to disk, given the replaced file's mode (600 for a new file), then renamed over it.
    /// </summary>
    /// <param name="path">The file to replace.</param>
    /// <param name="json">The new content.</param>
    internal static void Write(string path, string json)
    {
        string tempPath = string.Empty;
        try
        {
            UnixFileMode? mode = OperatingSystem.IsWindows() ? null : TryGetMode(path) ?? OwnerReadWrite;
            using (FileStream stream = CreateTempFile(path, out tempPath))
            {
                byte[] bytes = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(json + "\n");
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            if (mode is { } m && !OperatingSystem.IsWindows())
            {
                // UnixCreateMode is filtered by the umask; set the exact mode of the file being replaced.
                File.SetUnixFileMode(tempPath, m);
            }

            File.Move(tempPath, path, overwrite: true);
        }
        catch
        {
            if (tempPath.Length > 0)
            {
                TryDelete(tempPath);
            }

            throw;
        }
    }

    private static UnixFileMode? TryGetMode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return File.GetUnixFileMode(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray temporary file is harmless.
        }
    }
}
