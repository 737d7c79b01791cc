namespace CloudCredentials.Samples.AwsFieldReports;

/// <summary>
/// <c>dotnet run --project samples/AwsFieldReports</c>: replays the three AWS field reports against the in-process
/// emulator in a few seconds. Exit code 0 when every check passed ("AwsFieldReports OK"), 1 otherwise.
/// </summary>
internal static class Program
{
    public static async Task<int> Main() => await new AwsFieldReportsDemo(Console.Out).RunAsync() ? 0 : 1;
}
