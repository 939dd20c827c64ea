using System.CommandLine;
using Throughline.Bench.Freshness;
using Throughline.Bench.Http;
using Throughline.Bench.Ingest;

var root = new RootCommand("Throughline's benchmark harness (docs/benchmarks.md): B1 in-process ingest, B2 HTTP ingest load, B3 freshness.")
{
    IngestBenchmarkCommand.Create(),
    HttpIngestCommand.Create(),
    FreshnessCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
