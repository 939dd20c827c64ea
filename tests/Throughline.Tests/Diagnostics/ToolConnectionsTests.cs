using Throughline.Diagnostics;
using Throughline.Metrics;

namespace Throughline.Tests.Diagnostics;

public sealed class ToolConnectionsTests
{
    private static IReadOnlyList<ToolConnection> Compute(MetricsQuery query, IEnumerable<ObservedEvent>? extra = null, Dictionary<string, int>? refused = null)
    {
        var facts = History.Facts();
        return ToolConnections.Compute(History.Snapshot(facts), History.Model(), query, [.. History.Observed(facts), .. extra ?? []], refused ?? []);
    }

    [Fact]
    public void Compute_EachDeclaredTool_CountsItsEventsLastEventAndStagesFed()
    {
        var connections = Compute(History.Window).ToDictionary(c => c.Tool);

        Assert.Equal(["github", "actions", "argocd", "jira", "pagerduty"], connections.Keys);
        var github = connections["github"];
        Assert.Equal((11, History.At(42)), (github.Events, github.LastEventAt));
        Assert.Equal(11 / (100 / 24.0), github.EventsPerDay, 9);
        Assert.Equal([new StageFed("review", 4)], github.Stages);
        Assert.Equal(15, connections["actions"].Events);
        Assert.Equal([new StageFed("build", 4)], connections["actions"].Stages);
        Assert.Equal(5, connections["argocd"].Events); // a0 at -1 h is before the window
        Assert.Equal([new StageFed("staging", 1), new StageFed("production", 4)], connections["argocd"].Stages);
        Assert.Equal([new StageFed("approval", 4)], connections["jira"].Stages);
    }

    [Fact]
    public void Compute_ToolThatNeverSent_HasNoLastEventAndIsNotJudgedSilent()
    {
        var pagerduty = Compute(History.Window).Single(c => c.Tool == "pagerduty");

        Assert.Equal((0, (DateTimeOffset?)null, (double?)null, false), (pagerduty.Events, pagerduty.LastEventAt, pagerduty.UnmappedShare, pagerduty.Silent));
        Assert.Empty(pagerduty.Stages);
    }

    [Fact]
    public void Compute_UnmappedEventsAndRefusedDeliveries_AreCountedForTheirTool()
    {
        ObservedEvent[] unmapped = [new(1001, "/hooks/github", "hook:github", "dev.cdeventsx.github-ping.received.0.1.0", History.At(5), false)];

        var github = Compute(History.Window, unmapped, new() { ["github"] = 2 }).Single(c => c.Tool == "github");

        Assert.Equal((12, 1, 2), (github.Events, github.Unmapped, github.RefusedDeliveries));
        Assert.Equal(1.0 / 12, github.UnmappedShare!.Value, 9);
    }

    [Fact]
    public void Silent_QuietForLongerThanThreeMedianGapsAndItsLongestSpell_IsFlagged()
    {
        // Jira sends at 14, 15, 24, 25, 34, 35, 44 and 45 h: gaps 1, 9, 1, 9, 1, 9, 1, median 1 h, longest 9 h (its "nights").
        // 3 × the median alone would flag it at 48 h; its nights are 9 h, so it is silent only past 45 + 9 = 54 h.
        var at49 = Compute(new MetricsQuery(History.At(0), History.At(49))).Single(c => c.Tool == "jira");
        var at54 = Compute(new MetricsQuery(History.At(0), History.At(54))).Single(c => c.Tool == "jira");
        var at55 = Compute(new MetricsQuery(History.At(0), History.At(55))).Single(c => c.Tool == "jira");

        Assert.Equal((1.0, 9.0, 4.0, false), (at49.MedianGapHours, at49.LongestGapHours, at49.SilentHours, at49.Silent));
        Assert.Equal((9.0, false), (at54.SilentHours, at54.Silent));
        Assert.Equal((10.0, true), (at55.SilentHours, at55.Silent));
    }

    [Fact]
    public void Silent_FewerThanFourGaps_NoJudgement()
    {
        // By 26 h Jira has sent four events (14, 15, 24, 25): three gaps.
        var jira = Compute(new MetricsQuery(History.At(0), History.At(26))).Single(c => c.Tool == "jira");

        Assert.Equal((4, (double?)null, false), (jira.Events, jira.MedianGapHours, jira.Silent));
    }
}
