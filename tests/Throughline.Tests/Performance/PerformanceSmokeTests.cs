using System.Diagnostics;
using Throughline.Metrics;
using Throughline.Simulation;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Performance;

/// <summary>
/// A 10× slowdown of the hot paths fails here. Bounds are about ten times what this 2-core machine takes
/// (docs/benchmarks.md), so a noisy run never fails by chance.
/// </summary>
/// <remarks>It runs alone, after the tests that run in parallel, so that it times the product rather than its neighbours.</remarks>
[Collection(nameof(PerformanceSmokeTests))]
public sealed class PerformanceSmokeTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TenThousandChanges_IngestCorrelateAndQuery_WithinGenerousBounds()
    {
        var options = new SimulationOptions { Seed = 9, Days = 100, ChangesPerDay = 140, Services = 12, Teams = 8 };
        var model = Simulated.Model(options);
        var drafts = await Simulated.EventsAsync(options, Cancel, "smoke");

        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var store = await database.OpenStoreAsync();

        var ingest = Stopwatch.StartNew();
        foreach (var batch in drafts.Chunk(5000))
        {
            await store.AppendAsync(batch, DateTimeOffset.UtcNow, Cancel);
        }

        ingest.Stop();
        var correlate = Stopwatch.StartNew();
        var projection = new TimelineProjection(store, model, TimeProvider.System);
        await projection.CatchUpAsync(Cancel);
        correlate.Stop();
        var query = new MetricsQuery(options.Start, options.Start.AddDays(options.Days));
        var firstQuery = Stopwatch.StartNew();
        var dora = DoraCalculator.Compute(projection.Current, model, query);
        var flow = FlowCalculator.Compute(projection.Current, model, query);
        firstQuery.Stop();
        var warmQuery = Stopwatch.StartNew();
        DoraCalculator.Compute(projection.Current, model, query with { Team = model.Teams[0].Id });
        FlowCalculator.Compute(projection.Current, model, query);
        warmQuery.Stop();

        var changes = projection.Current.Changes.Count;
        Assert.InRange(changes, 9_000, 12_000);
        Assert.True(dora.DeploymentFrequency.Deployments > 500 && flow.Stages.Count == 5, "the history did not come out as simulated");
        var rate = drafts.Count / ingest.Elapsed.TotalSeconds;
        Assert.True(rate > 4_000, $"ingest: {rate:N0} events/s for {drafts.Count:N0} events (about 45,000/s expected)");
        Assert.True(correlate.Elapsed < TimeSpan.FromSeconds(30), $"correlating {changes:N0} changes took {correlate.Elapsed.TotalSeconds:N1} s (about 2 s expected)");
        Assert.True(firstQuery.Elapsed < TimeSpan.FromSeconds(10), $"first DORA and flow query took {firstQuery.Elapsed.TotalMilliseconds:N0} ms (about 200 ms expected)");
        Assert.True(warmQuery.Elapsed < TimeSpan.FromSeconds(5), $"second DORA and flow query took {warmQuery.Elapsed.TotalMilliseconds:N0} ms");
        TestContext.Current.SendDiagnosticMessage(
            $"smoke: {drafts.Count:N0} events ingested at {rate:N0}/s; {changes:N0} changes correlated in {correlate.Elapsed.TotalSeconds:N1} s; " +
            $"first query {firstQuery.Elapsed.TotalMilliseconds:N0} ms, next {warmQuery.Elapsed.TotalMilliseconds:N0} ms");
    }
}

/// <summary>The smoke test's collection: not run in parallel with any other.</summary>
[CollectionDefinition(nameof(PerformanceSmokeTests), DisableParallelization = true)]
public sealed class PerformanceSmokeCollection;
