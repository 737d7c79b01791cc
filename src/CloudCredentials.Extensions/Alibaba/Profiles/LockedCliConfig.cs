using System.Text.Json.Nodes;

namespace CloudCredentials.Alibaba.Profiles;

/// <summary>
/// The CLI config.json while <see cref="CliConfigWriter.WithLockAsync"/> holds its locks: reads of <see cref="Path"/> see
/// no other writer's half-done work, and <see cref="UpdateProfile"/> writes without taking the lock again. Valid only
/// until the body given to <see cref="CliConfigWriter.WithLockAsync"/> ends.
/// </summary>
internal sealed class LockedCliConfig
{
    private volatile bool _closed;

    internal LockedCliConfig(string path, string targetPath)
    {
        Path = path;
        TargetPath = targetPath;
    }

    /// <summary>The full path of the config.json as given (read it there, or at <see cref="TargetPath"/>).</summary>
    public string Path { get; }

    /// <summary>The file written: <see cref="Path"/>, or the final target when <see cref="Path"/> is a symbolic link.</summary>
    public string TargetPath { get; }

    /// <summary>Applies <paramref name="update"/> to the profile named <paramref name="profileName"/> and saves the file atomically.</summary>
    /// <param name="profileName">The profile's <c>name</c>.</param>
    /// <param name="update">Changes the profile's JSON object in place.</param>
    /// <exception cref="ObjectDisposedException">The lock has been released.</exception>
    /// <exception cref="FileNotFoundException">The file no longer exists.</exception>
    /// <exception cref="InvalidDataException">The file is not a JSON object with a <c>profiles</c> array, or the profile is missing.</exception>
    /// <exception cref="IOException">The file could not be read or written. Messages name files, never values.</exception>
    public void UpdateProfile(string profileName, Action<JsonObject> update)
    {
        ArgumentException.ThrowIfNullOrEmpty(profileName);
        ArgumentNullException.ThrowIfNull(update);
        ObjectDisposedException.ThrowIf(_closed, this);
        CliConfigWriter.UpdateLocked(Path, TargetPath, profileName, update);
    }

    /// <summary>Marks the lock as released: later writes through this instance throw.</summary>
    internal void Close() => _closed = true;
}
