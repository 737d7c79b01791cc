using CloudCredentials.Tests.Alibaba.External;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>A theory that runs only on Unix: it needs /bin/sh scripts.</summary>
public sealed class UnixOnlyTheoryAttribute : TheoryAttribute
{
    public UnixOnlyTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only (/bin/sh scripts); the Windows command-line rules are covered by CommandLineSplitterTests.";
        }
    }
}
