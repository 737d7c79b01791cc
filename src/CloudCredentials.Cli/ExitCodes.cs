namespace CloudCredentials.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>A credential was found (or the command succeeded).</summary>
    public const int Found = 0;

    /// <summary>An error: invalid options, a missing or unreadable config file, bad arguments.</summary>
    public const int Error = 1;

    /// <summary>Every provider declined: no credential on this machine.</summary>
    public const int NotFound = 2;
}
