using System.Globalization;

namespace CloudCredentials.Samples.AwsFieldReports;

/// <summary>Writes the story and collects what did not happen. Lines inside a report carry the fake time since its start.</summary>
internal sealed class StoryWriter(TextWriter output)
{
    private readonly object _gate = new();

    /// <summary>Gets the parts of the story that did not happen.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Gets or sets the clock of the report being told (for the time stamps).</summary>
    public FakeClock? Clock { get; set; }

    /// <summary>Gets whether every check passed.</summary>
    public bool Succeeded => Problems.Count == 0;

    /// <summary>Writes a line as is.</summary>
    public void Plain(string text) => Write(text);

    /// <summary>Writes a line stamped with the fake time since the report started, such as <c>[ 5h40m]</c>.</summary>
    public void Line(string text)
    {
        TimeSpan elapsed = Clock?.Elapsed ?? TimeSpan.Zero;
        Write(string.Create(CultureInfo.InvariantCulture, $"  [{(int)elapsed.TotalHours,2}h{elapsed.Minutes:00}m] {text}"));
    }

    /// <summary>Writes an <c>[ok]</c> or <c>[FAILED]</c> line; a failure is remembered.</summary>
    public bool Check(bool ok, string text)
    {
        Write((ok ? "  [ok]     " : "  [FAILED] ") + text);
        if (!ok)
        {
            Problems.Add(text);
        }

        return ok;
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
