using Throughline.Metrics;
using Throughline.Tests.Timeline;
using Throughline.Timeline;

namespace Throughline.Tests.Metrics;

public sealed class FlowCalculatorTests
{
    private static Fact[] Journey(string change, string artifact, double start, double qaWait)
    {
        var chain = "chain-" + change;
        return
        [
            Facts.Created(change, start) with { ChainId = chain }, Facts.Merged(change, start + 4),
            Facts.Event("pipelinerun", "started", start + 4.5, chain: chain), Facts.Packaged(artifact, change, start + 5),
            Facts.Deployed("checkout", artifact, start + 5.5, "staging"),
            Facts.Event("ticket", "created", start + 5.5 + qaWait, labels: [$"artifact:{artifact}"]),
            Facts.Event("ticket", "closed", start + 7.5 + qaWait, labels: [$"artifact:{artifact}"]),
            Facts.Deployed("checkout", artifact, start + 8.5 + qaWait),
        ];
    }

    [Fact]
    public void Flow_StagesHandoffsQueueAndBottlenecks()
    {
        var model = Facts.Model();
        var snapshot = TimelineBuilder.Build(
            [Facts.Deployed("checkout", "a0", 0), .. Journey("acme/checkout#1", "a1", 1, qaWait: 1), .. Journey("acme/checkout#2", "a2", 30, qaWait: 9)], model);

        var flow = FlowCalculator.Compute(snapshot, model, new MetricsQuery(Facts.At(0), Facts.At(72)));

        var qa = flow.Stages.Single(s => s.Stage == "qa-signoff");
        Assert.Equal(2, qa.Changes);
        Assert.Equal((5.0, 8.2), (qa.Waiting.MedianHours!.Value, Math.Round(qa.Waiting.P90Hours!.Value, 9)));
        Assert.Equal(2.0, qa.Working.MedianHours);
        Assert.Equal(4.0 / 14, qa.FlowEfficiency!.Value, 9);
        Assert.Equal(0, qa.Queue.Single(p => p.At == Facts.At(15)).Waiting); // midnight after #1 went through
        Assert.Equal(1, qa.Queue.Single(p => p.At == Facts.At(39)).Waiting); // #2 staged at 35.5 h, picked up at 44.5 h
        var review = flow.Stages.Single(s => s.Stage == "review");
        Assert.Equal(1.0, review.FlowEfficiency);
        Assert.Equal("qa-signoff", flow.Bottlenecks[0]);
        Assert.Contains(flow.Handoffs, h => (h.FromTeam, h.ToTeam, h.Stage, h.Handoffs) == ("infra", "qa", "qa-signoff", 2));
    }
}
