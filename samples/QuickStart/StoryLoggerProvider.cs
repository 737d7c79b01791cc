using Microsoft.Extensions.Logging;

namespace CloudCredentials.Samples.QuickStart;

/// <summary>
/// Shows the library's warnings and errors inside the story, in order, so the reader sees what an app's logs would
/// say during the outage (the library's log messages never contain a secret). A real app keeps its usual logging.
/// </summary>
internal sealed class StoryLoggerProvider(StoryWriter story) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new StoryLogger(story, categoryName);

    public void Dispose()
    {
    }
}
