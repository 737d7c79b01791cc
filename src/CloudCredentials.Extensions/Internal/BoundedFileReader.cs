using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CloudCredentials.Internal;

/// <summary>
/// Reads the small text files credentials come from (the CLI config.json, the INI credentials file, an OIDC token)
/// safely: only a regular file (a symbolic link to one is fine), and at most a size cap, so a named pipe cannot block
/// the caller forever and <c>/dev/zero</c> cannot fill the heap.
/// </summary>
/// <remarks>
/// The file type is checked before the file is opened, since opening a named pipe for reading blocks until a writer
/// appears. The BCL has no public API for the type of a path (FileInfo reports a FIFO or a device as a plain file), so on
/// Unix the check calls the runtime's own <c>SystemNative_Stat</c>, the call behind <see cref="FileInfo"/>, and reads
/// only the normalised file type bits of its result. Where that shim is unavailable, an entry of length 0 (a FIFO or a
/// device, as well as an empty file) is read as empty without being opened.
/// </remarks>
internal static class BoundedFileReader
{
    /// <summary>The cap for profile files (config.json, the INI credentials file): 1 MiB.</summary>
    public const int ProfileFileMaxBytes = 1024 * 1024;

    /// <summary>The cap for token files: 64 KiB.</summary>
    public const int TokenFileMaxBytes = 64 * 1024;

    private const int ChunkBytes = 16 * 1024;

    // The file type bits of SystemNative_Stat's Mode, normalised by the runtime to these values on every Unix.
    private const int TypeMask = 0xF000;
    private const int TypeFifo = 0x1000;
    private const int TypeCharacterDevice = 0x2000;
    private const int TypeDirectory = 0x4000;
    private const int TypeBlockDevice = 0x6000;
    private const int TypeRegular = 0x8000;
    private const int TypeSocket = 0xC000;

    private static volatile bool s_statUnavailable;

    /// <summary>Reads the text (UTF-8, or the encoding of a byte order mark) of the regular file <paramref name="path"/>.</summary>
    /// <param name="path">The file; a symbolic link is followed.</param>
    /// <param name="maxBytes">The largest file accepted, in bytes.</param>
    /// <returns>The file's text.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory of the path does not exist.</exception>
    /// <exception cref="InvalidDataException">The path is not a regular file (a FIFO, device, socket or directory), or the
    /// file is larger than <paramref name="maxBytes"/>. The message names the file and the problem, never the content.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static string ReadAllText(string path, int maxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);

        if (!IsSafeToOpen(path))
        {
            return string.Empty;
        }

        var options = new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.SequentialScan,
            BufferSize = 0,
        };
        using var stream = new FileStream(path, options);
        using var content = new MemoryStream();
        byte[] chunk = new byte[ChunkBytes];
        while (true)
        {
            // Never more than maxBytes + 1 bytes: enough to know the file is too large (it may have grown since the check).
            int wanted = (int)Math.Min(chunk.Length, (long)maxBytes + 1 - content.Length);
            int read = stream.Read(chunk, 0, wanted);
            if (read == 0)
            {
                break;
            }

            content.Write(chunk, 0, read);
            if (content.Length > maxBytes)
            {
                throw TooLarge(path, maxBytes);
            }
        }

        content.Position = 0;
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Checks, without opening it, that <paramref name="path"/> is a regular file no larger than the cap allows to open.
    /// <see langword="false"/> when it must be read as empty without opening (the stat shim is unavailable and the entry
    /// has length 0). A path that cannot be examined is left to the open, which reports the problem.
    /// </summary>
    private static bool IsSafeToOpen(string path)
    {
        if (Directory.Exists(path))
        {
            throw NotRegular(path, "a directory");
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        if (!s_statUnavailable)
        {
            try
            {
                if (Stat(path, out FileStatus status) != 0)
                {
                    return true; // missing or not accessible: the open throws the matching exception
                }

                return (status.Mode & TypeMask) switch
                {
                    TypeRegular => true,
                    TypeFifo => throw NotRegular(path, "a named pipe (FIFO)"),
                    TypeCharacterDevice => throw NotRegular(path, "a character device"),
                    TypeBlockDevice => throw NotRegular(path, "a block device"),
                    TypeSocket => throw NotRegular(path, "a socket"),
                    TypeDirectory => throw NotRegular(path, "a directory"),
                    _ => throw NotRegular(path, null),
                };
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                s_statUnavailable = true;
            }
        }

        // Without the shim: FIFOs and devices report length 0, and so does an empty file, which reads as empty anyway.
        var info = new FileInfo(path);
        return !info.Exists || info.Length > 0;
    }

    private static InvalidDataException NotRegular(string path, string? kind)
        => new(kind is null
            ? $"{path} is not a regular file; only regular files are read"
            : $"{path} is not a regular file (it is {kind}); only regular files are read");

    private static InvalidDataException TooLarge(string path, int maxBytes)
        => new($"{path} is larger than {FormatSize(maxBytes)}, the most read from a credentials file");

    private static string FormatSize(int bytes) => bytes switch
    {
        _ when bytes % (1024 * 1024) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB"),
        _ when bytes % 1024 == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    /// <summary>The runtime's <c>FileStatus</c> (Flags, Mode, Uid, ...): only Mode is read; the size leaves room for the rest.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct FileStatus
    {
        [FieldOffset(4)]
        public int Mode;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus status);
}
