using Throughline.Diagnostics;

namespace Throughline.Tests.Diagnostics;

public sealed class MissingChecksTests
{
    private static MissingChecksReport Compute() => MissingChecks.Compute(History.Snapshot(), History.Model(), History.Window);

    [Fact]
    public void Stages_OneOfFourChangesNeverReportedLint_ShareIsAQuarterWithThatChange()
    {
        var report = Compute();

        var build = Assert.Single(report.Stages);
        Assert.Equal(("build", "checkout", 4), (build.Stage, build.Service, build.Delivered));
        Assert.Equal(["unit-tests", "lint"], build.Required);
        Assert.Equal([new ChangeMissing(History.Change(4), ["lint"])], build.Changes, (a, b) => a.Change == b.Change && a.Missing.SequenceEqual(b.Missing));
        Assert.Equal(0.25, build.Share);
    }

    [Fact]
    public void Deployments_LintReportedOnlyAfterTheDeployment_WentOutWithoutIt()
    {
        var report = Compute();

        Assert.Equal(
            [("deploy-a3-production", History.Change(3), "lint"), ("deploy-a4-production", History.Change(4), "lint")],
            report.Deployments.Select(d => (d.Id, Assert.Single(d.Changes).Change, string.Join(",", d.Changes[0].Missing))));
        Assert.Equal(0, report.DeploymentsNotJudged);
    }

    [Fact]
    public void Deployments_NoChangeDelivered_CountedAsNotJudged()
    {
        var window = History.Window with { From = History.At(-2) };

        var report = MissingChecks.Compute(History.Snapshot(), History.Model(), window);

        Assert.Equal(1, report.DeploymentsNotJudged); // a0, deployed at -1 h, delivers no change Throughline knows
    }

    [Fact]
    public void Unreviewed_OneOfFourMergedChangesHadNoReview_ListedWithAQuarterShare()
    {
        var report = Compute();

        Assert.Equal((4, History.Change(2)), (report.Merged, Assert.Single(report.Unreviewed)));
        Assert.Equal(0.25, report.UnreviewedShare);
    }

    [Fact]
    public void Stages_TeamThatHoldsNoStageWithChecks_HasNoRows()
    {
        var web = MissingChecks.Compute(History.Snapshot(), History.Model(), History.Window with { Team = "web" });
        var platform = MissingChecks.Compute(History.Snapshot(), History.Model(), History.Window with { Team = "platform" });

        Assert.Empty(web.Stages);
        Assert.Equal("build", Assert.Single(platform.Stages).Stage);
    }
}

