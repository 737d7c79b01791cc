using System.Diagnostics;

namespace CloudCredentials.Cli.Tests.TestSupport;

/// <summary>The result of one <c>cloudcreds</c> run: exit code, stdout, stderr and how long it took.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    /// <summary>Everything the run printed.</summary>
    public string AllText => Output + Error;

    public override string ToString() => $"exit {ExitCode} in {Elapsed.TotalMilliseconds:0} ms{Environment.NewLine}{Output}{Error}";
}

/// <summary>Runs the tool in-process (its entry point with captured writers) or as a process of the built tool.</summary>
public static class CliRun
{
    /// <summary>Runs <c>cloudcreds {args}</c> in this process, with the process environment as it is.</summary>
    public static async Task<CliResult> InProcessAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var watch = Stopwatch.StartNew();
        int exit = await CloudCredsApp.RunAsync(args, output, error);
        watch.Stop();
        return new CliResult(exit, output.ToString(), error.ToString(), watch.Elapsed);
    }

    /// <summary>
    /// Runs the built tool (<c>dotnet CloudCredentials.Cli.dll {args}</c>) with an environment made of this process's
    /// minus every ALIBABA_CLOUD_* / AWS_* / CloudCredentials__* variable, plus <paramref name="environment"/>.
    /// </summary>
    public static async Task<CliResult> AsProcessAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = environment.TryGetValue("HOME", out string? home) ? home : Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CloudCredentials.Cli.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in start.Environment.Keys.ToArray())
        {
            if (name.StartsWith("ALIBABA_CLOUD_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("CloudCredentials__", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        var watch = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        watch.Stop();
        return new CliResult(process.ExitCode, await output, await error, watch.Elapsed);
    }
}
