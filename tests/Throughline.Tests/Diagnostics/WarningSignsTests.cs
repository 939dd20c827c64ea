using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Tests.Diagnostics;

/// <summary>
/// Each warning sign on the hand-built history (<see cref="History"/>), its value worked out by hand in the comments. The window is
/// [0 h, 100 h) unless a test says otherwise, so the trend's quarters are [0, 25), [25, 50), [50, 75) and [75, 100).
/// </summary>
public sealed partial class WarningSignsTests
{
    private static WarningSignsReport Compute(List<Fact> facts, MetricsQuery? query = null, OperatingModel? model = null) =>
        WarningSigns.Compute(History.Snapshot(facts), model ?? History.Model(), query ?? History.Window, History.Observed(facts));

    private static WarningSign Sign(WarningSignsReport report, string id) => report.Signs.Single(s => s.Id == id);

    /// <summary>The history with <paramref name="extra"/> facts after it, numbered on from its last sequence number.</summary>
    private static List<Fact> With(params Fact[] extra)
    {
        var facts = History.Facts();
        var next = facts.Count;
        return [.. facts, .. extra.Select(f => f with { Sequence = ++next })];
    }

    [Fact]
    public void Compute_Signs_InTheirFixedOrderWithDefaultThresholds()
    {
        var report = Compute(History.Facts());

        Assert.Equal(
            [("status-unknown", 0.1, "share"), ("no-end-to-end", 0.1, "share"), ("tools-without-integration", 0, "findings"),
                ("rollbacks-need-people", 2, "people"), ("slow-onboarding", 14, "days"), ("blame-at-handoffs", 0.25, "share"),
                ("recurring-causes", 0, "findings")],
            report.Signs.Select(s => (s.Id, s.Threshold, s.Unit)));
        Assert.All(report.Signs, s => Assert.Equal(WarningSigns.TrendParts, s.Trend.Count));
        Assert.Equal((History.At(0), History.At(100)), (report.From, report.To));
    }

    [Fact]
    public void StatusUnknown_EveryChangeDeliveredByTheEnd_NothingToJudge()
    {
        // At 100 h every change is in production. At 25 h (the first quarter's end) #2 is in flight at approval (closed at 25 h, not
        // before 25 h): its last event is the ticket opened at 24 h, 1 h of silence, and approval usually takes 2 h (median of #1's
        // 0.5 h waiting + 1 h working and the others' 1 h + 1 h): judged, not silent, so 0.
        var sign = Sign(Compute(History.Facts()), "status-unknown");

        Assert.Null(sign.Value);
        Assert.False(sign.Breached);
        Assert.Equal([0, null, null, null], sign.Trend);
    }

    [Fact]
    public void StatusUnknown_ChangeSilentLongerThanItsStageUsuallyTakes_IsTheWholeShare()
    {
        // Window [0, 35 h). Without its ticket being opened, #3's last event before 35 h is its artifact at 33 h: 2 h of silence at
        // approval (closed only at 35 h), which usually took 1.75 h in the window (#1 1.5 h, #2 2 h). #3 is the only change in flight.
        var facts = History.Facts().Where(f => !(f.Subject == "ticket" && f.Predicate == "created" && f.SubjectId == "QA-3")).ToList();

        var sign = Sign(Compute(facts, new MetricsQuery(History.At(0), History.At(35))), "status-unknown");

        Assert.Equal(1.0, sign.Value);
        Assert.True(sign.Breached);
        var evidence = Assert.Single(sign.Evidence);
        Assert.Equal((EvidenceKind.Change, History.Change(3)), (evidence.Kind, evidence.Id));
        Assert.StartsWith("silent 2 h at approval", evidence.Note, StringComparison.Ordinal);
        Assert.Equal([null, null, null, 1.0], sign.Trend); // quarters end at 8.75, 17.5, 26.25 h: nothing in flight then
    }

    [Fact]
    public void NoEndToEnd_EveryDeploymentDeliveredAChangeWithAStart_IsZero()
    {
        var sign = Sign(Compute(History.Facts()), "no-end-to-end");

        Assert.Equal(0, sign.Value);
        Assert.Empty(sign.Evidence);
    }

    [Fact]
    public void NoEndToEnd_DeploymentWithoutChangeAndChangeWithoutStart_TwoOfSix()
    {
        // x9 at 50 h leads to no change; b9 at 61 h was packaged from #9, of which no change event was ever seen. With a1 to a4: 2 of 6.
        var facts = With(
            History.Deployed("x9", 50, "production"),
            History.Fact("/hooks/actions", "artifact", "packaged", 60, "b9", change: History.Change(9)) with { ArtifactId = "b9" },
            History.Deployed("b9", 61, "production"));

        var sign = Sign(Compute(facts), "no-end-to-end");

        Assert.Equal(2.0 / 6, sign.Value!.Value, 9);
        Assert.True(sign.Breached);
        Assert.Equal(
            [("deploy-b9-production", "/hooks/argocd"), ("deploy-x9-production", "/hooks/argocd")],
            sign.Evidence.Select(e => (e.Id, e.Source!)));
        Assert.Equal([0, 0, 1, null], sign.Trend);
    }
}
