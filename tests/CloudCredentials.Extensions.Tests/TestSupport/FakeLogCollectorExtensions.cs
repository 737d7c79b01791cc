using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>Reads a <see cref="FakeLogCollector"/> the way the secret scans need it.</summary>
internal static class FakeLogCollectorExtensions
{
    /// <summary>Everything logged so far: level, category, event, message, structured values, and the exception with its inner exceptions and stack trace.</summary>
    public static string AllText(this FakeLogCollector logs)
    {
        var text = new StringBuilder();
        foreach (FakeLogRecord record in logs.GetSnapshot())
        {
            text.Append(CultureInfo.InvariantCulture, $"{record.Level} {record.Category}[{record.Id.Id}:{record.Id.Name}] {record.Message}");
            foreach (KeyValuePair<string, string?> pair in record.StructuredState ?? [])
            {
                text.Append(CultureInfo.InvariantCulture, $" | {pair.Key}={pair.Value}");
            }

            text.AppendLine().Append(record.Exception).AppendLine();
        }

        return text.ToString();
    }

    /// <summary>Creates a logger factory that sends every level to <paramref name="logs"/> only.</summary>
    public static ILoggerFactory CreateFactory(this FakeLogCollector logs) =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
}
