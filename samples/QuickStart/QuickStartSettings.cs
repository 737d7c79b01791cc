using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Samples.QuickStart;

/// <summary>How the quick start runs: the command line plus the story's timing.</summary>
internal sealed class QuickStartSettings
{
    /// <summary>The shortest run that fits the story: one 40 s credential lifetime, an outage and the recovery.</summary>
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromSeconds(55);

    /// <summary>The longest run accepted.</summary>
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromMinutes(30);

    public const string Usage =
        "Usage: dotnet run --project samples/QuickStart [-- --duration <seconds>]\n"
        + "  --duration <seconds>  keep using the credential this long, at least 55 s, and watch further refreshes\n"
        + "                        (default: stop a few uses after the story is complete, after about 50 s; at most 60 s)";

    /// <summary>Gets the longest the story may run, from the first credential use.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets whether the demo stops a few uses after the story is complete (no <c>--duration</c>) rather than at <see cref="Duration"/>.</summary>
    public bool StopWhenComplete { get; init; } = true;

    /// <summary>Gets how many uses the demo still shows after the recovery when <see cref="StopWhenComplete"/> is set.</summary>
    public int UsesAfterRecovery { get; init; } = 3;

    /// <summary>
    /// Gets the lifetime of the credentials the emulator issues. Short, so that a refresh happens during the demo:
    /// with <c>Refresh:RefreshBefore</c> 20 s (appsettings.json), each credential is replaced 20 s before it expires.
    /// </summary>
    public TimeSpan CredentialLifetime { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Gets how often the demo uses the credential.</summary>
    public TimeSpan UseInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets how many uses the outage lasts once the cache has started serving the stale credential.</summary>
    public int StaleUsesBeforeRecovery { get; init; } = 3;

    /// <summary>Gets the folder appsettings.json is read from: the current directory (<c>dotnet run</c> starts in the project folder).</summary>
    public string ContentRoot { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Gets whether <c>--help</c> was given.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>
    /// Gets a hook that runs after the sample's own registrations. Not used by the sample; the test uses it to watch
    /// the HTTP calls while it drives the same story on a fake clock.
    /// </summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>
    /// Gets a replacement for the pause between two uses, which is <c>Task.Delay(UseInterval)</c> on the injected clock
    /// unless set. Not used by the sample; the test sets it so that it moves its fake clock exactly while the demo waits
    /// here, and lets the demo make its next use when that time has passed.
    /// </summary>
    public Func<TimeSpan, CancellationToken, Task>? PauseBetweenUses { get; init; }

    /// <summary>Parses the command line.</summary>
    public static bool TryParse(string[] args, [NotNullWhen(true)] out QuickStartSettings? settings, [NotNullWhen(false)] out string? error)
    {
        TimeSpan? duration = null;
        bool help = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--duration" when i + 1 < args.Length:
                    if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                        || double.IsNaN(seconds) || seconds < MinimumDuration.TotalSeconds || seconds > MaximumDuration.TotalSeconds)
                    {
                        settings = null;
                        error = string.Create(
                            CultureInfo.InvariantCulture,
                            $"--duration must be a number of seconds from {MinimumDuration.TotalSeconds} to {MaximumDuration.TotalSeconds}, not '{args[i]}'.");
                        return false;
                    }

                    duration = TimeSpan.FromSeconds(seconds);
                    break;
                case "--help" or "-h" or "-?":
                    help = true;
                    break;
                default:
                    settings = null;
                    error = $"Unknown or incomplete argument '{args[i]}'.";
                    return false;
            }
        }

        settings = duration is { } fixedDuration
            ? new QuickStartSettings { Duration = fixedDuration, StopWhenComplete = false, ShowHelp = help }
            : new QuickStartSettings { ShowHelp = help };
        error = null;
        return true;
    }
}
