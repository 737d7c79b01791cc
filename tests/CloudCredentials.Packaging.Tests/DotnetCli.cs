using System.Diagnostics;
using System.Text;

namespace CloudCredentials.Packaging.Tests;

/// <summary>The result of one child process: exit code and everything it printed (stdout and stderr, interleaved).</summary>
public sealed record ProcessResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit code {ExitCode}:{Environment.NewLine}{Output}";
}

/// <summary>
/// Runs <c>dotnet</c> (or an installed tool) as a child process with a clean environment: no MSBuild variables
/// inherited from the test host, no build servers (they would keep the output pipes open), metadata services off.
/// </summary>
internal static class DotnetCli
{
    public static Task<ProcessResult> DotnetAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] arguments)
        => RunAsync("dotnet", workingDirectory, environment, timeout, arguments);

    public static async Task<ProcessResult> RunAsync(
        string fileName, string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] arguments)
    {
        var output = new StringBuilder();
        using Process process = Start(fileName, workingDirectory, environment, arguments, output);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}:{Environment.NewLine}{Read(output)}");
        }

        process.WaitForExit(); // drains the asynchronous output readers
        return new ProcessResult(process.ExitCode, Read(output));
    }

    /// <summary>Starts a long-running program, waits until it prints <paramref name="ready"/>, then stops it.</summary>
    /// <returns>What it printed until then (exit code -1: it was stopped).</returns>
    public static async Task<ProcessResult> RunUntilAsync(
        string fileName, string workingDirectory, IReadOnlyDictionary<string, string>? environment, string ready, TimeSpan timeout, params string[] arguments)
    {
        var output = new StringBuilder();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using Process process = Start(fileName, workingDirectory, environment, arguments, output, line =>
        {
            if (line.Contains(ready, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        });
        try
        {
            // The safety bound only: the wait ends as soon as the line arrives (or the program exits).
            await Task.WhenAny(seen.Task, process.WaitForExitAsync(), Task.Delay(timeout));
            if (!seen.Task.IsCompleted)
            {
                throw new TimeoutException($"{fileName} did not print '{ready}' within {timeout} (exited: {process.HasExited}):{Environment.NewLine}{Read(output)}");
            }

            return new ProcessResult(-1, Read(output));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static Process Start(string fileName, string workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] arguments, StringBuilder output, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "true";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data, onLine);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data, onLine);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line, Action<string>? onLine)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        onLine?.Invoke(line);
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
