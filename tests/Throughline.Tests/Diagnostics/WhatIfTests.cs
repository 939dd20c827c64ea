using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Tests.Timeline;
using Throughline.Timeline;

namespace Throughline.Tests.Diagnostics;

/// <summary>
/// The what-if replay on a hand-built history (docs/diagnostics.md, "What-if advice"). Times are hours after
/// <see cref="Facts.T0"/>. Eleven changes of checkout, one every 50 h, through review (web), build and production
/// (platform), each deployed alone:
/// <code>
///   stage        waiting              working
///   review       35, 36, …, 45 h       1 h      (created → first review → merged)
///   build        0                     0.5 h    (merged = pipeline started → packaged)
///   production   0.5 h (no start)      0
/// </code>
/// Lead time = review waiting + 2 h: 37 to 47 h, measured median 42 h. Halving review waiting gives 17.5 to 22.5 h,
/// median 22 h. A trial's median is the 6th of 11 draws, so the median across 2,000 trials lies within a draw's step
/// (1 h before halving, 0.5 h after) of those values; the spread of the trials' medians (about ±2 h) contains the
/// prediction of any other seed.
/// </summary>
public sealed partial class WhatIfTests
{
    private const string ModelText = """
        version: 1
        organization: Test
        teams: [{id: web}, {id: platform}]
        environments: [{id: production, production: true}]
        services:
          - {id: checkout, owner: web, repositories: [acme/checkout]}
        flow:
          - {id: review, owner: service-owner, starts: change.reviewed, ends: change.merged}
          - {id: build, owner: platform, automated: BUILD, starts: pipelinerun.started, ends: artifact.packaged}
          - {id: production, owner: platform, ends: service.deployed environment=production}
        """;

    private static OperatingModel Model(bool buildAutomated = false) =>
        OperatingModelLoader.LoadText(ModelText.Replace("BUILD", buildAutomated ? "true" : "false", StringComparison.Ordinal), "whatif.yaml").Model!;

    private static Fact[] Change(int number, double reviewWaiting)
    {
        var (id, chain, artifact, start) = ("acme/checkout#" + number, "chain-" + number, "artifact-" + number, number * 50.0);
        var merged = start + reviewWaiting + 1;
        return
        [
            Facts.Created(id, start) with { ChainId = chain }, Facts.Reviewed(id, start + reviewWaiting), Facts.Merged(id, merged),
            Facts.Event("pipelinerun", "started", merged, chain: chain), Facts.Packaged(artifact, id, merged + 0.5),
            Facts.Deployed("checkout", artifact, merged + 1),
        ];
    }

    private static TimelineSnapshot History(OperatingModel model) =>
        TimelineBuilder.Build([Facts.Deployed("checkout", "a0", -1), .. Enumerable.Range(0, 11).SelectMany(i => Change(i, 35 + i))], model);

    private static readonly MetricsQuery Window = new(Facts.At(0), Facts.At(600));

    [Theory]
    [InlineData(WhatIfResampling.Changes)]
    [InlineData(WhatIfResampling.Stages)]
    public void Advise_ReviewWaitingDominates_HalvingItRanksFirstNearTheHandComputedMedian(WhatIfResampling resampling)
    {
        var model = Model();

        var advice = WhatIf.Advise(History(model), model, Window, new WhatIfOptions { Resampling = resampling });

        Assert.Null(advice.Reason);
        Assert.Equal((11, 11, 2_000), (advice.Changes, advice.SimulatedChanges, advice.Trials));
        Assert.Equal(42, advice.MeasuredMedianHours!.Value, 9);
        var baseline = advice.Baseline!;
        Assert.InRange(baseline.MedianHours, 41, 43);
        Assert.True(baseline.Median.Contains(baseline.MedianHours));
        Assert.InRange(baseline.P85Hours, baseline.MedianHours, 47);
        var top = advice.Scenarios[0];
        Assert.Equal(("halve review waiting", WhatIfKind.HalveWaiting, "review"), (top.Name, top.Kind, top.Stage));
        Assert.InRange(top.Prediction.MedianHours, 21.5, 22.5);
        Assert.InRange(top.GainHours, 19, 21);
        Assert.InRange(top.GainShare, 0.45, 0.5);
        Assert.Equal(baseline.DeploymentsPerDay, top.Prediction.DeploymentsPerDay);
        Assert.Contains(advice.NotEvaluated, n => n.StartsWith("automate review", StringComparison.Ordinal));
        Assert.Contains(advice.NotEvaluated, n => n.StartsWith("smaller batches", StringComparison.Ordinal));
        Assert.NotEmpty(advice.Assumptions);
    }

    [Fact]
    public void Advise_SameSeed_SameRankingAndNumbers()
    {
        var model = Model();

        // Two snapshots of the same history, so the second answer is computed again rather than read from the first's cache.
        var first = WhatIf.Advise(History(model), model, Window, new WhatIfOptions { Seed = 7 });
        var second = WhatIf.Advise(History(model), model, Window, new WhatIfOptions { Seed = 7 });

        Assert.NotSame(first, second);
        Assert.Equal(first.Baseline, second.Baseline);
        Assert.Equal(first.Scenarios, second.Scenarios);
        Assert.Equal(first.NotEvaluated, second.NotEvaluated);
    }

    [Fact]
    public void Advise_SameQuestionAgain_KeptWithTheSnapshot()
    {
        var model = Model();
        var snapshot = History(model);

        var first = WhatIf.Advise(snapshot, model, Window, new WhatIfOptions { Seed = 7 });
        var again = WhatIf.Advise(snapshot, model, Window, new WhatIfOptions { Seed = 7 });
        var otherSeed = WhatIf.Advise(snapshot, model, Window, new WhatIfOptions { Seed = 8 });

        Assert.Same(first, again);
        Assert.NotSame(first, otherSeed);
    }

    [Fact]
    public void Advise_OtherSeed_PredictsWithinTheFirstSeedsInterval()
    {
        var model = Model();
        var snapshot = History(model);

        var first = WhatIf.Advise(snapshot, model, Window, new WhatIfOptions { Seed = 1 });
        var other = WhatIf.Advise(snapshot, model, Window, new WhatIfOptions { Seed = 2 });

        Assert.True(first.Baseline!.Median.Contains(other.Baseline!.MedianHours));
        Assert.True(first.Baseline.P85.Contains(other.Baseline.P85Hours));
        Assert.True(first.Scenarios[0].Prediction.Median.Contains(other.Scenarios[0].Prediction.MedianHours));
        Assert.Equal(first.Scenarios[0].Name, other.Scenarios[0].Name);
    }

    [Fact]
    public void Advise_ManualStageAutomated_DrawsFromTheAutomatedStages()
    {
        var model = Model(buildAutomated: true);

        var advice = WhatIf.Advise(History(model), model, Window);

        // Every automated pass is build's: waiting 0, working 0.5 h. Production (waiting 0.5 h) automated takes build's 0.5 h of
        // working: no gain, exactly.
        var production = advice.Scenarios.Single(s => s.Name == "automate production");
        Assert.Equal((WhatIfKind.Automate, "production"), (production.Kind, production.Stage));
        Assert.Equal(0, production.GainHours, 9);
        Assert.DoesNotContain(advice.Scenarios, s => s.Name == "automate build");
    }

    [Fact]
    public void Advise_CodeReview_NeverProposedForAutomation()
    {
        var model = Model(buildAutomated: true);

        var advice = WhatIf.Advise(History(model), model, Window);

        // Drawn from build's passes, review would take 0.5 h instead of 36 to 46 h and rank first; a review is a person's judgment.
        Assert.DoesNotContain(advice.Scenarios, s => s.Name == "automate review");
        Assert.Contains("automate review: a code review is a person's judgment of the change; removing it is not automation", advice.NotEvaluated);
        Assert.Equal("halve review waiting", advice.Scenarios[0].Name);
        Assert.True(WhatIf.IsReview(model.Flow[0]));
        Assert.False(WhatIf.IsReview(model.Flow[1]));
    }

    [Fact]
    public void Advise_NothingDelivered_EmptyWithAReason()
    {
        var model = Model();

        var advice = WhatIf.Advise(History(model), model, new MetricsQuery(Facts.At(1_000), Facts.At(2_000)));

        Assert.Null(advice.Baseline);
        Assert.Empty(advice.Scenarios);
        Assert.Equal(0, advice.Changes);
        Assert.StartsWith("no change with a known lead time was delivered to production", advice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Advise_NoFlow_EmptyWithAReason()
    {
        var advice = WhatIf.Advise(TimelineSnapshot.Empty, null, Window);

        Assert.Null(advice.Baseline);
        Assert.Contains("no flow", advice.Reason, StringComparison.Ordinal);
    }
}
