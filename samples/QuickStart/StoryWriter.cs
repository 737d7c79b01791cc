using System.Globalization;

namespace CloudCredentials.Samples.QuickStart;

/// <summary>Writes the story: every line stamped with the time since the start, on the injected clock. Thread-safe.</summary>
internal sealed class StoryWriter
{
    private const string Indent = "          ";

    private readonly object _gate = new();
    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _start;

    public StoryWriter(TextWriter output, TimeProvider time)
    {
        _output = output;
        _time = time;
        _start = time.GetUtcNow();
    }

    /// <summary>Gets when the story started.</summary>
    public DateTimeOffset Start => _start;

    /// <summary>Writes a line stamped with the time since the start, such as <c>[ +12.0s] text</c>.</summary>
    public void Line(string text)
    {
        double seconds = (_time.GetUtcNow() - _start).TotalSeconds;
        string stamp = string.Create(CultureInfo.InvariantCulture, $"[{seconds,6:+0.0}s] ");
        Write(stamp + text);
    }

    /// <summary>Writes a numbered step.</summary>
    public void Step(int number, int of, string text) =>
        Line(string.Create(CultureInfo.InvariantCulture, $"Step {number}/{of}  {text}"));

    /// <summary>Writes a continuation line under the previous one, without a time stamp.</summary>
    public void More(string text) => Write(Indent + text);

    /// <summary>Writes a line as is.</summary>
    public void Plain(string text) => Write(text);

    private void Write(string line)
    {
        lock (_gate)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }
}
