using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;

namespace CloudCredentials.Processes;

/// <summary>
/// Finds and kills what an External command left behind: processes that still hold its stdout or stderr pipe after
/// it exited (children it started in the background), which would otherwise keep a reader waiting for end of file.
/// </summary>
internal static class PipeHolders
{
    /// <summary>
    /// Kills the processes other than this one that still hold the command's stdout or stderr pipe: children the command
    /// left running in the background. Linux only, where <c>/proc/&lt;pid&gt;/fd</c> shows the pipes each process holds
    /// (only our own processes can be examined, and only ours can hold our pipes); elsewhere nothing is killed.
    /// </summary>
    /// <returns>How many processes were killed.</returns>
    public static int Kill(Process process)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var pipes = new HashSet<string>(StringComparer.Ordinal);
        AddPipe(process.StandardOutput, pipes);
        AddPipe(process.StandardError, pipes);
        if (pipes.Count == 0)
        {
            return 0;
        }

        int killed = 0;
        int self = Environment.ProcessId;
        foreach (string entry in SafeEnumerate(() => Directory.EnumerateDirectories("/proc")))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && pid != self
                && HoldsAny(entry, pipes)
                && TryKill(pid))
            {
                killed++;
            }
        }

        return killed;
    }

    /// <summary>Adds the pipe (<c>pipe:[inode]</c>) behind our end of a redirected stream.</summary>
    private static void AddPipe(StreamReader reader, HashSet<string> pipes)
    {
        try
        {
            if (reader.BaseStream is PipeStream pipe
                && new FileInfo($"/proc/self/fd/{pipe.SafePipeHandle.DangerousGetHandle()}").LinkTarget is { } target
                && target.StartsWith("pipe:", StringComparison.Ordinal))
            {
                pipes.Add(target);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException or InvalidOperationException)
        {
            // Our end is closed already: nothing holds it open for us.
        }
    }

    private static bool HoldsAny(string processDirectory, HashSet<string> pipes)
    {
        foreach (string fd in SafeEnumerate(() => Directory.EnumerateFileSystemEntries(Path.Combine(processDirectory, "fd"))))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && pipes.Contains(target))
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The descriptor or the process went away meanwhile.
            }
        }

        return false;
    }

    /// <summary>The entries of a /proc directory, or none when it is another user's or gone (processes come and go).</summary>
    private static List<string> SafeEnumerate(Func<IEnumerable<string>> enumerate)
    {
        try
        {
            return [.. enumerate()];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static bool TryKill(int pid)
    {
        try
        {
            using Process holder = Process.GetProcessById(pid);
            holder.Kill(entireProcessTree: true);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception or NotSupportedException)
        {
            return false; // gone meanwhile, or not ours to kill
        }
    }
}
