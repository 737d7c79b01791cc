namespace CloudCredentials.Tests.Samples;

/// <summary>Finds the sample folders (their appsettings.json files are read from there, as `dotnet run` does).</summary>
internal static class SamplePaths
{
    public static string QuickStart => Find(Path.Combine("samples", "QuickStart"));

    public static string WebApi => Find(Path.Combine("samples", "WebApi"));

    public static string Worker => Find(Path.Combine("samples", "Worker"));

    private static string Find(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CloudCredentials.Extensions.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new DirectoryNotFoundException($"CloudCredentials.Extensions.sln not found above {AppContext.BaseDirectory}.");
    }
}
