using Throughline.Diagnostics;
using Throughline.Timeline;

namespace Throughline.Tests.Diagnostics;

public sealed class DriftTests
{
    private static DriftReport Compute(List<Fact> facts, IEnumerable<ObservedEvent>? extra = null) =>
        Drift.Compute(History.Snapshot(facts), History.Model(), History.Window, [.. History.Observed(facts), .. extra ?? []]);

    [Fact]
    public void Skipped_ThreeOfFourDeliveredChangesWithoutStaging_ShareIsThreeQuartersWithThoseChanges()
    {
        var report = Compute(History.Facts());

        var skipped = Assert.Single(report.Skipped);
        Assert.Equal(("staging", "checkout", 4), (skipped.Stage, skipped.Service, skipped.Delivered));
        Assert.Equal([History.Change(2), History.Change(3), History.Change(4)], skipped.Changes);
        Assert.Equal(0.75, skipped.Share);
    }

    [Fact]
    public void NeverObserved_NoChangePassedStaging_NamesOnlyStaging()
    {
        var facts = History.Facts().Where(f => f.Environment != "staging").ToList();

        var report = Compute(facts);

        Assert.Equal(["staging"], report.NeverObserved);
        Assert.Equal(1.0, Assert.Single(report.Skipped).Share);
    }

    [Fact]
    public void NeverObserved_EveryStagePassed_IsEmpty()
    {
        var report = Compute(History.Facts());

        Assert.Empty(report.NeverObserved);
    }

    [Fact]
    public void OtherTeamWork_ReviewByQaAndApprovalByQa_ListedWithTheirChangesAndEvents()
    {
        var facts = History.Facts();

        var report = Compute(facts);

        Assert.Equal(
            [
                new OtherTeamWork(History.Change(1), "approval", "checkout", "quinn", "quinn", "qa", "infra", History.SequenceOf(facts, "ticket", "closed", "QA-1")),
                new OtherTeamWork(History.Change(3), "review", "checkout", "quinn", "quinn", "qa", "web", History.SequenceOf(facts, "change", "reviewed", History.Change(3))),
            ],
            report.OtherTeamWork);
    }

    [Fact]
    public void OutsideApprovals_ApprovalClosedByQaWhereInfraApproves_ListsOnlyThatChange()
    {
        var report = Compute(History.Facts());

        var approval = Assert.Single(report.OutsideApprovals);
        Assert.Equal((History.Change(1), "approval", "qa", "infra"), (approval.Change, approval.Stage, approval.ActorTeam, approval.OwnerTeam));
    }

    [Fact]
    public void OutsideApprovals_ApproverIsTheOneWhoClosed_NotTheOneWhoOpened()
    {
        // Ravi (infra) opens every ticket; only who closes it approves, so only #1 (closed by Quinn) is outside.
        var report = Compute(History.Facts());

        Assert.DoesNotContain(report.OutsideApprovals, a => a.Change != History.Change(1));
    }

    [Fact]
    public void UnknownActors_LoginNoIdentityNames_CountedNotAttributed()
    {
        var facts = History.Facts().Select(f => f.Actor == "quinn" && f.Subject == "change" ? f with { Actor = "mallory" } : f).ToList();

        var report = Compute(facts);

        var unknown = Assert.Single(report.UnknownActors);
        Assert.Equal(("mallory", 1, History.Change(3)), (unknown.Actor, unknown.Stages, Assert.Single(unknown.Changes)));
        Assert.DoesNotContain(report.OtherTeamWork, w => w.Stage == "review");
    }

    [Fact]
    public void Identity_LoginInAnotherTool_DoesNotMatch()
    {
        // Quinn's identities are github:quinn and jira:quinn; "quinn" in Argo CD is nobody the model knows.
        var facts = History.Facts().Select(f => f.Actor == "quinn" && f.Subject == "ticket" ? f with { Source = "/hooks/argocd" } : f).ToList();

        var report = Compute(facts);

        Assert.Empty(report.OutsideApprovals);
        Assert.Contains(report.UnknownActors, u => u.Actor == "quinn");
    }

    [Fact]
    public void UndeclaredSources_JenkinsNotInTheModel_ListedWithItsEvents()
    {
        ObservedEvent[] extra =
        [
            new(1001, "https://jenkins.example/job/checkout", "api", "dev.cdevents.pipelinerun.finished.0.3.0", History.At(50), true),
            new(1002, "https://jenkins.example/job/checkout", "api", "dev.cdevents.pipelinerun.finished.0.3.0", History.At(51), false),
            new(1003, "https://github.com/acme/checkout/actions", "api", "dev.cdevents.pipelinerun.finished.0.3.0", History.At(52), true),
            new(1004, "/hooks/jenkins", "hook:jenkins", "dev.cdevents.pipelinerun.finished.0.3.0", History.At(53), true),
            new(1005, "/throughline/health", "api", "dev.cdeventsx.verification-metric.measured.0.1.0", History.At(54), true),
            new(1006, "https://jenkins.example/job/checkout", "api", "dev.cdevents.pipelinerun.finished.0.3.0", History.At(200), true),
        ];

        var report = Compute(History.Facts(), extra);

        Assert.Equal(
            [("https://jenkins.example/job/checkout", 2, History.At(51), "1002,1001"), ("/hooks/jenkins", 1, History.At(53), "1004")],
            report.UndeclaredSources.Select(s => (s.Source, s.Events, s.LastEventAt, string.Join(",", s.Examples))));
    }

    [Fact]
    public void Team_Infra_KeepsTheStagesInfraHolds()
    {
        var facts = History.Facts();

        var report = Drift.Compute(History.Snapshot(facts), History.Model(), History.Window with { Team = "infra" }, History.Observed(facts));

        Assert.Equal(("staging", 3), (Assert.Single(report.Skipped).Stage, report.Skipped[0].Changes.Count));
        Assert.Equal("approval", Assert.Single(report.OtherTeamWork).Stage);
        Assert.Empty(report.NeverObserved); // every stage was passed; infra holds only some of them
    }
}

