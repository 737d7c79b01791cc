using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>
/// An <see cref="ILoggerProvider"/> that keeps every log entry (all levels, scopes ignored) so tests can assert on
/// event ids, levels and structured values, and prove that no secret is ever logged (<see cref="AllText"/>).
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    /// <summary>Gets the entries logged so far, in order.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>Creates a logger factory that logs to this provider only, at every level.</summary>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddProvider(this);
    });

    /// <summary>Creates a logger of category <typeparamref name="T"/> that logs to this provider.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(new SingleProviderFactory(this));

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <summary>Everything logged: messages, structured values, and exceptions with inner exceptions and stack traces.</summary>
    public string AllText()
    {
        var sb = new StringBuilder();
        foreach (LogEntry entry in _entries)
        {
            sb.AppendLine(entry.ToString());
        }

        return sb.ToString();
    }

    /// <summary>Forgets the entries logged so far.</summary>
    public void Clear() => _entries.Clear();

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>One captured log entry.</summary>
    public sealed record LogEntry(
        string Category,
        LogLevel Level,
        EventId EventId,
        string Message,
        Exception? Exception,
        IReadOnlyList<KeyValuePair<string, object?>> State)
    {
        /// <summary>Gets a structured value by name, or null.</summary>
        public object? this[string name] => State.FirstOrDefault(kv => kv.Key == name).Value;

        /// <inheritdoc />
        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"{Level} {Category}[{EventId.Id}:{EventId.Name}] {Message}");
            foreach (KeyValuePair<string, object?> kv in State)
            {
                sb.Append(CultureInfo.InvariantCulture, $" | {kv.Key}={kv.Value}");
            }

            if (Exception is not null)
            {
                sb.AppendLine().Append(Exception);
            }

            return sb.ToString();
        }
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            IReadOnlyList<KeyValuePair<string, object?>> values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? [.. pairs] : [];
            owner._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception, values));
        }
    }

    private sealed class SingleProviderFactory(CapturingLoggerProvider provider) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
