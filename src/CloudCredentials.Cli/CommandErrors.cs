using Microsoft.Extensions.Options;

namespace CloudCredentials.Cli;

/// <summary>Turns the errors of building a registration into a message on stderr and exit code 1.</summary>
internal static class CommandErrors
{
    /// <summary>Runs <paramref name="body"/>; a configuration or options error is written to <paramref name="error"/> and gives <see cref="ExitCodes.Error"/>.</summary>
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            await error.WriteLineAsync("error: " + message).ConfigureAwait(false);
            return ExitCodes.Error;
        }
    }

    /// <summary>The message of an error the tool reports (never a secret: the library's messages carry none), or <see langword="null"/> to let it propagate.</summary>
    private static string? Describe(Exception ex) => ex switch
    {
        OptionsValidationException v => "invalid settings: " + string.Join("; ", v.Failures),
        CredentialUnavailableException c => "the settings cannot be used: " + c.Message,
        FileNotFoundException f => f.Message,
        InvalidDataException d => WithCauses(d), // not valid JSON: the file, then the line and position
        FormatException f => f.Message,
        InvalidOperationException i when i.Message.StartsWith("No CloudCredentials registration", StringComparison.Ordinal) => i.Message,
        _ => null,
    };

    /// <summary>The message followed by those of its inner exceptions (the JSON reader's names the line).</summary>
    private static string WithCauses(Exception ex)
    {
        var messages = new List<string>();
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(" ", messages);
    }
}
