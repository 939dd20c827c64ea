using Throughline.Simulation;

namespace Throughline.Tests.Simulation;

public sealed partial class HistorySimulatorTests
{
    /// <summary>Tools' clocks disagree by up to 5 s each way: causal checks allow twice that.</summary>
    private static readonly TimeSpan SkewAllowance = TimeSpan.FromSeconds(10);

    private static readonly SimulationOptions NinetyDays = new() { Seed = 7, Days = 90 };

    [Fact]
    public async Task Write_SameOptionsTwice_IdenticalBytes()
    {
        var first = await SimulatedHistory.CreateAsync(NinetyDays);
        var second = await SimulatedHistory.CreateAsync(NinetyDays);
        var otherSeed = await SimulatedHistory.CreateAsync(NinetyDays with { Seed = 8 });

        Assert.Equal(first.Lines, second.Lines);
        Assert.NotEqual(first.Lines, otherSeed.Lines);
        Assert.True(first.Lines.Count > 10_000, $"only {first.Lines.Count} events in 90 days");
    }

    [Fact]
    public async Task Changes_EventsInCausalOrder()
    {
        var history = await SimulatedHistory.CreateAsync(NinetyDays);

        var byChange = history.Distinct().Where(e => e.Type.StartsWith("dev.cdevents.change.", StringComparison.Ordinal)).GroupBy(e => e.SubjectId).ToList();
        Assert.True(byChange.Count > 1000);
        foreach (var change in byChange)
        {
            var created = Assert.Single(change, e => e.Type.Contains(".created.", StringComparison.Ordinal)).Timestamp;
            Assert.All(change, e => Assert.True(e.Timestamp >= created - SkewAllowance, $"{e.Type} of {change.Key} precedes its creation"));
            var ends = change.Where(e => e.Type.Contains(".merged.", StringComparison.Ordinal) || e.Type.Contains(".abandoned.", StringComparison.Ordinal)).ToList();
            Assert.True(ends.Count <= 1, $"{change.Key} ended {ends.Count} times");
            if (ends.Count == 1)
            {
                Assert.All(change, e => Assert.True(e.Timestamp <= ends[0].Timestamp + SkewAllowance, $"{e.Type} of {change.Key} after it ended"));
            }
        }
    }

    [Fact]
    public async Task Artifacts_ChangeMergedBeforePackaged()
    {
        var history = await SimulatedHistory.CreateAsync(NinetyDays);
        var merged = history.OfType("change.merged").ToDictionary(e => e.SubjectId, e => e.Timestamp);

        var artifacts = history.OfType("artifact.packaged").ToList();

        Assert.True(artifacts.Count > 500);
        Assert.All(artifacts, artifact =>
        {
            var change = artifact.Text("change", "id")!;
            Assert.True(merged.TryGetValue(change, out var mergedAt), $"{artifact.SubjectId} packaged from {change}, which never merged");
            Assert.True(mergedAt <= artifact.Timestamp + SkewAllowance, $"{artifact.SubjectId} packaged before {change} merged");
        });
    }

    [Fact]
    public async Task Rollbacks_GoToAnArtifactDeployedBefore()
    {
        var history = await SimulatedHistory.CreateAsync(NinetyDays with { Days = 180 });
        var deployedBefore = new Dictionary<string, HashSet<string>>();
        var rollbacks = 0;

        foreach (var e in history.Distinct().Where(e => e.Text("environment", "id") == "production" && e.Type.StartsWith("dev.cdevents.service.", StringComparison.Ordinal)))
        {
            var artifact = e.Text("artifactId")!;
            var seen = deployedBefore.TryGetValue(e.SubjectId, out var set) ? set : deployedBefore[e.SubjectId] = [];
            if (e.Type.Contains(".rolledback.", StringComparison.Ordinal))
            {
                rollbacks++;
                Assert.Contains(artifact, seen);
            }

            seen.Add(artifact);
        }

        Assert.True(rollbacks >= 3, $"only {rollbacks} rollbacks in 180 days");
    }

    [Fact]
    public async Task Rates_ComeOutAsConfigured()
    {
        var options = NinetyDays with { ChangesPerDay = 40, Days = 120 };
        var history = await SimulatedHistory.CreateAsync(options);
        var distinct = history.Distinct();

        var created = distinct.Count(e => e.Type.StartsWith("dev.cdevents.change.created.", StringComparison.Ordinal));
        var weekdays = Enumerable.Range(0, options.Days).Count(d => options.Start.AddDays(d).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var expected = options.ChangesPerDay * (weekdays + (0.1 * (options.Days - weekdays)));
        var abandoned = distinct.Count(e => e.Type.StartsWith("dev.cdevents.change.abandoned.", StringComparison.Ordinal));
        var duplicateShare = (history.Lines.Count - distinct.Count) / (double)distinct.Count;

        Assert.InRange(created, expected * 0.9, expected * 1.15); // hotfixes add a few
        Assert.InRange(abandoned / (double)created, 0.08, 0.16);
        Assert.InRange(duplicateShare, 0.005, 0.015);
    }

    [Fact]
    public async Task Noise_ArrivesOutOfOrderWithSkewedClocks()
    {
        var history = await SimulatedHistory.CreateAsync(NinetyDays);

        var lateArrivals = history.Events.Zip(history.Events.Skip(1)).Count(pair => pair.Second.Timestamp < pair.First.Timestamp - TimeSpan.FromSeconds(30));
        var maxLateness = history.Events.Zip(history.Events.Skip(1)).Max(pair => pair.First.Timestamp - pair.Second.Timestamp);

        Assert.True(lateArrivals > 20, $"only {lateArrivals} events arrived after a later one");
        Assert.True(maxLateness < TimeSpan.FromHours(2), $"an event arrived {maxLateness} late");
    }
}
