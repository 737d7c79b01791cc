namespace CloudCredentials.Tests.TestSupport;

/// <summary>A temporary directory deleted on dispose.</summary>
public sealed class SessionTempDirectory : IDisposable
{
    public SessionTempDirectory() => Path = Directory.CreateTempSubdirectory("cc-session-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a text file and returns its path.</summary>
    public string Write(string name, string content)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes an executable /bin/sh script and returns its path (Unix only).</summary>
    public string WriteScript(string name, string body)
    {
        string path = Write(name, "#!/bin/sh\n" + body.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
