using Microsoft.Extensions.Logging;

namespace CloudCredentials.Samples.QuickStart;

/// <summary>Writes warnings and errors of the <c>CloudCredentials</c> categories to the story.</summary>
internal sealed class StoryLogger(StoryWriter story, string categoryName) : ILogger
{
    private readonly bool _library = categoryName.StartsWith("CloudCredentials", StringComparison.Ordinal);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => _library && logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string level = logLevel == LogLevel.Warning ? "warn" : logLevel.ToString().ToLowerInvariant();
        story.Line($"  log {level}: {formatter(state, exception)}");
    }
}
