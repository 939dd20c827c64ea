using Throughline.Metrics;
using Throughline.Model;
using Throughline.Tests.Timeline;
using Throughline.Timeline;

namespace Throughline.Tests.Metrics;

/// <summary>
/// Flow efficiency, team scope and the evidence behind flow figures, worked by hand (docs/metrics.md, "Flow"). Times are
/// hours after <see cref="Facts.T0"/> (2026-03-02 09:00 UTC). Three changes of checkout, through review (web, from the
/// first review), build (platform) and production (infra, no start event):
/// <code>
///        created reviewed merged started packaged deployed | review w/k | build w/k | production w/k | working elapsed ratio
///   A       1       4       6      6.5     7        9      |   3 / 2    | 0.5 / 0.5 |     2 / 0      |   2.5     8    0.3125
///   B      10      20      21     21      22       30      |  10 / 1    |   0 / 1   |     8 / 0      |   2      20    0.1
///   C      11      12      14     14.5    15.5     16      |   1 / 2    | 0.5 / 1   |   0.5 / 0      |   3       5    0.6
/// </code>
/// Overall: 7.5 ÷ 33 = 0.22727…; median per change: 0.3125. Team web (review only): 5 ÷ 19, median of 2/5, 1/11, 2/3 = 0.4.
/// Team infra (production only): 0 of 10.5. The review queue at the end of 2026-03-02 (hour 15) holds B alone.
/// </summary>
public sealed class FlowEfficiencyTests
{
    private static OperatingModel Model() => OperatingModelLoader.LoadText("""
        version: 1
        organization: Test
        teams: [{id: web}, {id: platform}, {id: infra}]
        environments: [{id: production, production: true}]
        services:
          - {id: checkout, owner: web, repositories: [acme/checkout]}
        responsibilities: {deploy-production: infra}
        flow:
          - {id: review, owner: service-owner, starts: change.reviewed, ends: change.merged}
          - {id: build, owner: platform, starts: pipelinerun.started, ends: artifact.packaged}
          - {id: production, owner: responsibilities.deploy-production, ends: service.deployed environment=production}
        """, "flow.yaml").Model!;

    private static Fact[] Change(string name, double created, double reviewed, double merged, double started, double packaged, double deployed)
    {
        var id = "acme/checkout#" + name;
        var chain = "chain-" + name;
        return
        [
            Facts.Created(id, created) with { ChainId = chain }, Facts.Reviewed(id, reviewed), Facts.Merged(id, merged),
            Facts.Event("pipelinerun", "started", started, chain: chain), Facts.Packaged("artifact-" + name, id, packaged),
            Facts.Deployed("checkout", "artifact-" + name, deployed),
        ];
    }

    private static readonly Lazy<TimelineSnapshot> Snapshot = new(() => TimelineBuilder.Build(
        [Facts.Deployed("checkout", "a0", 0), .. Change("A", 1, 4, 6, 6.5, 7, 9), .. Change("B", 10, 20, 21, 21, 22, 30), .. Change("C", 11, 12, 14, 14.5, 15.5, 16)],
        Model()));

    private static MetricsQuery Window(string? team = null) => new(Facts.At(0), Facts.At(48), Team: team);

    [Fact]
    public void Efficiency_WorkingOverElapsedSummedOverDeliveredChanges_AndTheMedianChange()
    {
        var flow = FlowCalculator.Compute(Snapshot.Value, Model(), Window());

        Assert.Equal(3, flow.Efficiency.Changes);
        Assert.Equal(7.5, flow.Efficiency.WorkingHours, 9);
        Assert.Equal(33, flow.Efficiency.ElapsedHours, 9);
        Assert.Equal(7.5 / 33, flow.Efficiency.Overall!.Value, 9);
        Assert.Equal(0.3125, flow.Efficiency.MedianPerChange!.Value, 9);
        var review = flow.Stages.Single(s => s.Stage == "review");
        Assert.Equal((3.0, 2.0), (review.Waiting.MedianHours!.Value, review.Working.MedianHours!.Value));
        Assert.Equal(5.0 / 19, review.FlowEfficiency!.Value, 9);
    }

    [Fact]
    public void Efficiency_NothingDelivered_IsUndefinedNotZero()
    {
        var flow = FlowCalculator.Compute(Snapshot.Value, Model(), new MetricsQuery(Facts.At(100), Facts.At(200)));

        Assert.Equal(FlowEfficiency.None, flow.Efficiency);
        Assert.Null(flow.Efficiency.Overall);
    }

    [Fact]
    public void Team_IsTheStagesItHoldsAndTheHandoffsIntoAndOutOfIt()
    {
        var web = FlowCalculator.Compute(Snapshot.Value, Model(), Window("web"));
        var infra = FlowCalculator.Compute(Snapshot.Value, Model(), Window("infra"));
        var platform = FlowCalculator.Compute(Snapshot.Value, Model(), Window("platform"));

        Assert.Equal(5.0 / 19, web.Efficiency.Overall!.Value, 9);
        Assert.Equal(0.4, web.Efficiency.MedianPerChange!.Value, 9);
        Assert.Equal([3, 0, 0], web.Stages.Select(s => s.Changes));
        Assert.Equal((3, 0.0, 10.5), (infra.Efficiency.Changes, infra.Efficiency.WorkingHours, infra.Efficiency.ElapsedHours));
        Assert.Equal([0, 0, 3], infra.Stages.Select(s => s.Changes));
        Assert.Equal([("platform", "infra", 3)], infra.Handoffs.Select(h => (h.FromTeam, h.ToTeam, h.Handoffs)));
        Assert.Equal([("platform", "infra"), ("web", "platform")], platform.Handoffs.Select(h => (h.FromTeam, h.ToTeam)).Order());
    }

    [Fact]
    public void Queue_ReviewCountsChangesWaitingForTheirFirstReview()
    {
        var flow = FlowCalculator.Compute(Snapshot.Value, Model(), Window());

        var review = flow.Stages.Single(s => s.Stage == "review");
        Assert.Equal(Facts.At(15), review.Queue[0].At);
        Assert.Equal(1, review.Queue[0].Waiting);
        Assert.Equal(["acme/checkout#B"], FlowCalculator.QueueAt(Snapshot.Value, "review", Window(), Facts.At(15)).Select(p => p.Change.Id));
    }

    [Fact]
    public void Evidence_IsTheChangesBehindEachFigure()
    {
        var efficiency = FlowCalculator.EfficiencyBehind(Snapshot.Value, Model(), Window());
        var review = FlowCalculator.PassagesBehind(Snapshot.Value, "review", Window());
        var handoffs = FlowCalculator.PassagesBehind(Snapshot.Value, "production", Window("infra"), "platform", "infra");

        Assert.Equal(["acme/checkout#B", "acme/checkout#A", "acme/checkout#C"], efficiency.Select(r => r.Change.Id));
        Assert.Equal([0.1, 0.3125, 0.6], efficiency.Select(r => Math.Round(r.Ratio, 9)));
        Assert.Equal(["acme/checkout#B", "acme/checkout#A", "acme/checkout#C"], review.Select(r => r.Change.Id));
        Assert.Equal(3, handoffs.Count);
    }
}
