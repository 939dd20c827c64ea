using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Timeline;

namespace Throughline.Tests.Diagnostics;

public sealed partial class WarningSignsTests
{
    [Fact]
    public void ToolsWithoutIntegration_EachToolFeedsItsOwnEvents_NoFinding()
    {
        // PagerDuty sent nothing; every other tool's events in the window belong to a change's story.
        var sign = Sign(Compute(History.Facts()), "tools-without-integration");

        Assert.Equal(0, sign.Value);
        Assert.False(sign.Breached);
    }

    [Fact]
    public void ToolsWithoutIntegration_TwoToolsRunTestsAndAPagerThatReachesNothing_TwoFindings()
    {
        // GitHub reports #4's lint as Actions reports every test suite: checkout's testsuiterun.finished comes from two tools (one
        // finding). PagerDuty's only incident names no service, so it is attributed to nothing (a second finding).
        var facts = With(
            History.Fact("/hooks/github", "testsuiterun", "finished", 42.7, "lint-4", chain: "chain-4") with { Name = "lint", Outcome = "success" },
            History.Fact("/hooks/pagerduty", "incident", "detected", 70, "INC-1"));

        var sign = Sign(Compute(facts), "tools-without-integration");

        Assert.Equal(2, sign.Value);
        Assert.True(sign.Breached);
        var github = facts[^2].Sequence;
        var actions = History.SequenceOf(facts, "testsuiterun", "finished", "unit-4"); // Actions' latest test suite in the window, 42.6 h
        Assert.Equal(
            [(EvidenceKind.Event, actions.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                (EvidenceKind.Event, github.ToString(System.Globalization.CultureInfo.InvariantCulture)), (EvidenceKind.Tool, "pagerduty")],
            sign.Evidence.Select(e => (e.Kind, e.Id)));
        Assert.Equal([0, 1, 1, 0], sign.Trend);
    }

    [Fact]
    public void RollbacksNeedPeople_IncidentThenRollback_CountsThePeopleBetween()
    {
        // a3 (36 h) fails at 36.5 h (an incident attributed by the 24 h window) and is rolled back at 38 h (a2 again). Between them:
        // ravi opens a Jira ticket about checkout (jira:ravi), quinn closes it (jira:quinn) and ravi rolls back in Argo CD (argocd:ravi):
        // 2 people in 1.5 h. Mallory on payments and alice after the rollback do not count.
        var facts = With(
            History.Fact("/hooks/pagerduty", "incident", "detected", 36.5, "INC-7") with { Service = "checkout", Environment = "production" },
            History.Fact("/hooks/jira", "ticket", "created", 37, "OPS-1", actor: "ravi") with { Service = "checkout" },
            History.Fact("/hooks/jira", "ticket", "created", 37.1, "OPS-2", actor: "mallory") with { Service = "payments" },
            History.Fact("/hooks/jira", "ticket", "closed", 37.5, "OPS-1", actor: "quinn") with { Service = "checkout" },
            History.Deployed("a2", 38, "production") with { Id = "rollback-a2", Actor = "ravi" },
            History.Fact("/hooks/jira", "ticket", "closed", 40, "OPS-2", actor: "alice") with { Service = "checkout" });

        var report = Compute(facts);
        var strict = Compute(facts, model: History.Model("diagnostics: {thresholds: {rollbacks-need-people: 1}}"));

        var sign = Sign(report, "rollbacks-need-people");
        Assert.Equal(2, sign.Value);
        Assert.False(sign.Breached); // two people is the default's limit
        var evidence = Assert.Single(sign.Evidence);
        Assert.Equal((EvidenceKind.Deployment, "deploy-a3-production", "/hooks/argocd"), (evidence.Kind, evidence.Id, evidence.Source));
        Assert.Equal("2 people (quinn, ravi), 1.5 h from failure to rollback", evidence.Note);
        Assert.Equal([null, 2, null, null], sign.Trend);
        Assert.True(Sign(strict, "rollbacks-need-people").Breached);
    }

    [Fact]
    public void SlowOnboarding_FirstChangeInProduction_DaysFromTheFirstEvent()
    {
        // Quinn opened #1 and #2, alice #3 and #4. Quinn's first event is closing QA-1 at 15 h, but #1 began at 10 h: 10 h → 16 h is
        // 0.25 days. Alice's first event is her review of #1 at 11 h; her first change in production is #3 at 36 h: 25 h, 25/24 days.
        // Median of the two: (0.25 + 25/24) / 2.
        var facts = History.Facts()
            .Select(f => f.Subject == "change" && f.ChangeId is { } id ? f with { Author = id == History.Change(1) || id == History.Change(2) ? "quinn" : "alice" } : f)
            .ToList();

        var sign = Sign(Compute(facts), "slow-onboarding");

        Assert.Equal((0.25 + (25 / 24.0)) / 2, sign.Value!.Value, 9);
        Assert.False(sign.Breached);
        Assert.Equal([("alice", History.Change(3)), ("quinn", History.Change(1))], sign.Evidence.Select(e => (e.Id, e.Note![^History.Change(1).Length..])));
        Assert.Equal(0.25, sign.Trend[0]!.Value, 9);
        Assert.Equal(25 / 24.0, sign.Trend[1]!.Value, 9);
        Assert.Equal([null, null], sign.Trend.Skip(2));
    }

    [Fact]
    public void SlowOnboarding_NoChangeNamesItsAuthor_NothingToMeasure()
    {
        var sign = Sign(Compute(History.Facts()), "slow-onboarding");

        Assert.Null(sign.Value);
        Assert.Empty(sign.Evidence);
    }

    [Fact]
    public void BlameAtHandoffs_WaitingAtEachBoundary_LargestShareOfLeadTime()
    {
        // Lead time 6 h each, 24 h in all. Handoffs: web → platform at build (0.5 h from merge to pipeline, 4 changes: 2 h),
        // platform → infra at staging (#1: 0.5 h) and platform → infra at approval (#2–#4 skip staging: 1 h from artifact to ticket
        // each, 3 h). The largest: 3 h ÷ 24 h.
        var sign = Sign(Compute(History.Facts()), "blame-at-handoffs");

        Assert.Equal(0.125, sign.Value);
        Assert.False(sign.Breached);
        Assert.Equal(
            [("approval", "platform", "infra"), ("build", "web", "platform"), ("staging", "platform", "infra")],
            sign.Evidence.Select(e => (e.Id, e.FromTeam!, e.ToTeam!)));
        Assert.Equal(0.5 / 6, sign.Trend[0]!.Value, 9); // #1 alone: 0.5 h at build (and at staging) of 6 h
        Assert.Equal(3.0 / 18, sign.Trend[1]!.Value, 9); // #2–#4: 3 h at approval of 18 h
        Assert.Equal([null, null], sign.Trend.Skip(2));
    }

    [Fact]
    public void BlameAtHandoffs_LowerThreshold_IsBreached()
    {
        var sign = Sign(Compute(History.Facts(), model: History.Model("diagnostics: {thresholds: {blame-at-handoffs: 0.1}}")), "blame-at-handoffs");

        Assert.Equal((0.1, true), (sign.Threshold, sign.Breached));
    }

    [Fact]
    public void BlameAtHandoffs_Reading_NamesTheWorstBoundaryAndTheTotal()
    {
        // 3 h + 2 h + 0.5 h of 24 h waited at a boundary: 22.9 %.
        var sign = Sign(Compute(History.Facts()), "blame-at-handoffs");

        Assert.Equal("12.5 % of the lead time of 4 changes was spent waiting at platform → infra (approval); 22.9 % at every boundary.", sign.Reading);
        Assert.Equal("platform → infra at staging: 30 min waiting over 1 change, 2.1 % of 24 h lead time", sign.Evidence[^1].Note);
    }

    [Fact]
    public void StatusUnknown_TeamThatDoesNotHoldTheStage_NothingToJudge()
    {
        // As in the silent-change test, #3 waits at approval at 35 h; approval is infra's, so web has nothing in flight to judge.
        var facts = History.Facts().Where(f => !(f.Subject == "ticket" && f.Predicate == "created" && f.SubjectId == "QA-3")).ToList();
        var window = new MetricsQuery(History.At(0), History.At(35));

        var web = Sign(Compute(facts, window with { Team = "web" }), "status-unknown");
        var infra = Sign(Compute(facts, window with { Team = "infra" }), "status-unknown");

        Assert.Equal(((double?)null, (double?)1.0), (web.Value, infra.Value));
    }
}
