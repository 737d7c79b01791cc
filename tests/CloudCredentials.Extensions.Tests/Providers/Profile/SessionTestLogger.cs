using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.Providers.Profile;

/// <summary>An <see cref="ILogger"/> that records every formatted message (and exception text) for secret scans.</summary>
public sealed class SessionTestLogger : ILogger
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    /// <summary>All messages, exceptions included, as one text.</summary>
    public string AllText => string.Join("\n", _entries);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string text = $"{logLevel} {eventId.Id} {formatter(state, exception)}";
        if (state is IEnumerable<KeyValuePair<string, object?>> properties)
        {
            text += " {" + string.Join(", ", properties.Select(p => $"{p.Key}={p.Value}")) + "}";
        }

        if (exception is not null)
        {
            text += "\n" + exception;
        }

        _entries.Enqueue(text);
    }
}
