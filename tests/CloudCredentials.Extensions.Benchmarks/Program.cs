using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CloudCredentials.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project tests/CloudCredentials.Extensions.Benchmarks -- --filter '*'</c>.
/// </summary>
/// <remarks>
/// Benchmarks run in process (BenchmarkDotNet 0.14 cannot generate and build a separate net10.0 host project), with
/// the short job (3 warm-ups, 3 iterations) and the memory diagnoser. Pass <c>--job medium</c> (or any BenchmarkDotNet
/// option) to change that; the in-process toolchain is kept.
/// </remarks>
internal static class Program
{
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .HideColumns("Error", "StdDev", "Median", "RatioSD");
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
