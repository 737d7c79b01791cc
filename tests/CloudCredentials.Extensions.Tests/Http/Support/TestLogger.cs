using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.Http.Support;

/// <summary>A logger (and provider) that keeps every formatted message, with its exception, for secret scans.</summary>
public sealed class TestLogger : ILogger, ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    public string AllText => string.Join("\n", _entries);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}"))
            : string.Empty;
        _entries.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} [{structured}] {exception}");
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }
}
