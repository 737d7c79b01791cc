namespace CloudCredentials.Tests.Providers.Profile;

/// <summary>A fact that runs only on Unix: it needs /bin/sh scripts.</summary>
public sealed class UnixOnlyFactAttribute : FactAttribute
{
    public UnixOnlyFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Needs /bin/sh scripts; the Windows command-line rules are covered by CommandLineSplitterTests.";
        }
    }
}
