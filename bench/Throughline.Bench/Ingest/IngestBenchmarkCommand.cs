using System.CommandLine;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Throughline.Bench.Ingest;

/// <summary><c>b1</c>: runs <see cref="IngestBenchmarks"/> with BenchmarkDotNet; unknown arguments (<c>--filter</c> and the rest) go to it.</summary>
internal static class IngestBenchmarkCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A short run (3 warm-up and 3 measured iterations): about a minute, rough figures." };
        var artifacts = new Option<string>("--artifacts")
        {
            Description = "Where BenchmarkDotNet writes its reports.",
            HelpName = "FOLDER",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "throughline-bench", "b1"),
        };
        var command = new Command("b1", "B1: in-process ingest of 10,000 simulated events: parse, parse + store in SQLite, parse + store + timeline. " +
            "Other arguments (--filter '*Store*', --list flat, ...) are BenchmarkDotNet's.")
        {
            quick, artifacts,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parsed => Run(parsed.GetValue(quick), parsed.GetValue(artifacts)!, parsed.UnmatchedTokens));
        return command;
    }

    private static int Run(bool quick, string artifacts, IReadOnlyList<string> benchmarkArguments)
    {
        // In-process: the benchmarks need no generated project and no second build, and read the same assemblies the CLI runs.
        var job = (quick ? Job.ShortRun.WithId("Quick") : Job.Default.WithId("Full")).WithToolchain(InProcessEmitToolchain.Instance);
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new EventsPerSecondColumn())
            .WithArtifactsPath(artifacts);
        // Without a filter BenchmarkSwitcher asks on the console which benchmark to run; a script has no one to answer.
        string[] arguments = benchmarkArguments.Any(a => a.StartsWith("--filter", StringComparison.Ordinal) || a == "-f" || a.StartsWith("--list", StringComparison.Ordinal))
            ? [.. benchmarkArguments]
            : [.. benchmarkArguments, "--filter", "*"];
        var summaries = BenchmarkSwitcher.FromTypes([typeof(IngestBenchmarks)]).Run(arguments, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
