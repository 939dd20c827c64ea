using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Tests.Timeline;
using Throughline.Timeline;

namespace Throughline.Tests.Diagnostics;

/// <summary>The scenarios whose effect depends on more than one stage: handoffs, work in progress, batches.</summary>
public sealed partial class WhatIfTests
{
    [Fact]
    public void Advise_HandoffRemoved_WaitsAsLongAsAStageHeldByTheSameTeam()
    {
        var model = Model();

        var advice = WhatIf.Advise(History(model), model, Window);

        // Build is a handoff (web → platform) and waits 0 h; production stays with platform and waits 0.5 h, the only
        // waiting without a handoff: removing the handoff costs 0.5 h.
        var handoff = advice.Scenarios.Single(s => s.Kind == WhatIfKind.RemoveHandoff);
        Assert.Equal(("remove the handoff web → platform at build", "build"), (handoff.Name, handoff.Stage));
        Assert.Equal(-0.5, handoff.GainHours, 9);
    }

    [Fact]
    public void Advise_SmallerBatches_DeploysMoreOftenAndShortensTheWaitForADeployment()
    {
        var model = Model();
        // #0 is merged at 36 h and never deployed on its own: it rides along with #1, deployed at 87 h, and waits 50.5 h in
        // production where #1 waits 0.5 h. Two changes per deployment: halved, the waiting for production halves and the
        // one deployment in the window becomes two.
        var snapshot = TimelineBuilder.Build(
            [Facts.Deployed("checkout", "a0", -1), .. Change(0, 35).Where(f => f.Subject != "service"), .. Change(1, 35)], model);

        var advice = WhatIf.Advise(snapshot, model, Window);

        var batches = advice.Scenarios.Single(s => s.Kind == WhatIfKind.SmallerBatches);
        Assert.Contains("checkout: 2 → 1 changes per deployment", batches.Detail, StringComparison.Ordinal);
        Assert.Equal(2 * advice.Baseline!.DeploymentsPerDay, batches.Prediction.DeploymentsPerDay, 9);
        Assert.True(batches.GainHours > 0);
    }

    [Fact]
    public void Advise_WorkInProgressLimitedToItsMedian_HoldsBackTheShareAboveIt()
    {
        var model = Model();
        // A and B start at 0, C at 5; all three are deployed at 10. Work in progress over [0, 20): 2 for 5 h, 3 for 5 h, then
        // 0. The median while busy is 2; mean WIP 1.25, capped at 2 it is 1.0: 20 % held back, so waiting × 0.8. A and B
        // wait 6 + 0 + 2.5 h and work 1.5 h (lead 10 h → 8.3 h); C waits 2 + 0 + 1.5 h (lead 5 h → 4.3 h). A trial's median of
        // three draws is A's or B's in 20 of 27 trials, so the medians are 10 h and 8.3 h.
        Fact[] Flow(string name, double created, double reviewed)
        {
            var (id, chain) = ("acme/checkout#" + name, "chain-" + name);
            return
            [
                Facts.Created(id, created) with { ChainId = chain }, Facts.Reviewed(id, reviewed), Facts.Merged(id, reviewed + 1),
                Facts.Event("pipelinerun", "started", reviewed + 1, chain: chain), Facts.Packaged("artifact-" + name, id, reviewed + 1.5),
                Facts.Deployed("checkout", "artifact-" + name, 10),
            ];
        }

        var snapshot = TimelineBuilder.Build([Facts.Deployed("checkout", "a0", -1), .. Flow("A", 0, 6), .. Flow("B", 0, 6), .. Flow("C", 5, 7)], model);

        var advice = WhatIf.Advise(snapshot, model, new MetricsQuery(Facts.At(0), Facts.At(20)));

        var limit = advice.Scenarios.Single(s => s.Kind == WhatIfKind.LimitWorkInProgress);
        Assert.Equal("checkout: at most 2 in progress, 20 % of waiting held back", limit.Detail);
        Assert.Equal(10, advice.Baseline!.MedianHours, 9);
        Assert.Equal(8.3, limit.Prediction.MedianHours, 9);
    }
}
