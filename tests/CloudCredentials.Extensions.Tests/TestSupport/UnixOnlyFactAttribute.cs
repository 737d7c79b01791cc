using CloudCredentials.Tests.Alibaba.External;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>A fact that runs only on Unix: it needs /bin/sh scripts.</summary>
public sealed class UnixOnlyFactAttribute : FactAttribute
{
    public UnixOnlyFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only (/bin/sh scripts or Unix file modes); the Windows command-line rules are covered by CommandLineSplitterTests.";
        }
    }
}
