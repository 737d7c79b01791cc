namespace CloudCredentials.Cli.Tests.TestSupport;

/// <summary>Reads the <c>cloudcreds doctor</c> table.</summary>
public static class DoctorTable
{
    /// <summary>The table row of <paramref name="provider"/> (its order and name columns match).</summary>
    public static string Row(string[] lines, string provider)
        => lines.Single(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [{ } order, { } name, ..]
            && int.TryParse(order, out _) && name == provider);

    /// <summary>The provider names of the table's rows, in order.</summary>
    public static string[] Providers(string output)
        => [.. output.Split('\n')
            .Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(c => c.Length > 2 && int.TryParse(c[0], out _))
            .Select(c => c[1])];
}
