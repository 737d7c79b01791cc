namespace CloudCredentials.Cli;

/// <summary>A plain-text table: left-aligned columns separated by two spaces; the last column is not padded.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [headers];

    /// <summary>Adds a row (one cell per header).</summary>
    public TextTable Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"A row needs {headers.Length} cells.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>Writes the header and every row.</summary>
    public void WriteTo(TextWriter writer)
    {
        int[] widths = [.. Enumerable.Range(0, headers.Length).Select(c => _rows.Max(r => r[c].Length))];
        foreach (string[] row in _rows)
        {
            var line = string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c])));
            writer.WriteLine(line.TrimEnd());
        }
    }
}
