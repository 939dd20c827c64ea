using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed partial class TimelineBuilderTests
{
    private static Fact WithChain(Fact fact, string chain) => fact with { ChainId = chain };

    private static Fact[] ThroughQa(string change, string artifact, string chain) =>
    [
        WithChain(Facts.Created(change, 1), chain), Facts.Merged(change, 5),
        Facts.Event("pipelinerun", "started", 5.5, chain: chain), Facts.Packaged(artifact, change, 6),
        Facts.Deployed("checkout", artifact, 6.5, "staging"),
        Facts.Event("ticket", "created", 7, labels: [$"artifact:{artifact}"]), Facts.Event("ticket", "closed", 9, labels: [$"artifact:{artifact}"]),
    ];

    [Fact]
    public void Stages_FullPath_WaitingWorkingOwnersAndHandoffs()
    {
        var snapshot = Build([Facts.Deployed("checkout", "a0", 0), .. ThroughQa("acme/checkout#1", "a1", "chain-1"), Facts.Deployed("checkout", "a1", 12)]);

        var stages = snapshot.Changes["acme/checkout#1"].Stages;

        Assert.Equal(
            [
                ("review", "web", StageStatus.Done, 0.0, 4.0, false),
                ("build", "platform", StageStatus.Done, 0.5, 0.5, true),
                ("staging", "infra", StageStatus.Done, 0.5, 0.0, true),
                ("qa-signoff", "qa", StageStatus.Done, 0.5, 2.0, true),
                ("production", "infra", StageStatus.Done, 3.0, 0.0, true),
            ],
            stages.Select(s => (s.StageId, s.Team!, s.Status, Math.Round(s.WaitingHours!.Value, 3), Math.Round(s.WorkingHours!.Value, 3), s.Handoff)));
        Assert.Equal("qa", stages[^1].FromTeam);
        Assert.Null(snapshot.Changes["acme/checkout#1"].CurrentStage);
    }

    [Fact]
    public void Stages_InFlight_CurrentStageIsTheFirstNotDone()
    {
        var facts = ThroughQa("acme/checkout#1", "a1", "chain-1")[..^1]; // the ticket is still open

        var change = Build(facts).Changes["acme/checkout#1"];

        Assert.Equal(ChangeState.Merged, change.State);
        Assert.Equal(("qa-signoff", StageStatus.InProgress, "qa"), (change.CurrentStage!.StageId, change.CurrentStage.Status, change.CurrentStage.Team));
        Assert.Equal(StageStatus.NotReached, change.Stages[^1].Status);
    }

    [Fact]
    public void Stages_RodeAlongWithoutItsOwnBuildOrQa_RecordsTheStagesItSkipped()
    {
        var snapshot = Build([
            Facts.Deployed("checkout", "a0", 0),
            Facts.Created("acme/checkout#1", 1), Facts.Merged("acme/checkout#1", 2),
            .. ThroughQa("acme/checkout#2", "a2", "chain-2"), Facts.Deployed("checkout", "a2", 12)]);

        var stages = snapshot.Changes["acme/checkout#1"].Stages;

        Assert.Equal(
            [StageStatus.Done, StageStatus.Skipped, StageStatus.Done, StageStatus.Skipped, StageStatus.Done],
            stages.Select(s => s.Status));
        Assert.Equal(4.5, stages[2].WaitingHours!.Value, 6); // rode along to staging with #2's artifact
        Assert.Equal(5.5, stages[^1].WaitingHours!.Value, 6);
    }

    [Fact]
    public void Stages_Abandoned_NothingCurrent()
    {
        var change = Build(Facts.Created("acme/checkout#9", 1), Facts.Event("change", "abandoned", 2) with { ChangeId = "acme/checkout#9", SubjectId = "acme/checkout#9" })
            .Changes["acme/checkout#9"];

        Assert.Equal(ChangeState.Abandoned, change.State);
        Assert.Null(change.CurrentStage);
    }

    [Fact]
    public void Upgrade_CountsAsADeploymentForTheProductionStage()
    {
        var snapshot = Build([Facts.Deployed("checkout", "a0", 0), .. ThroughQa("acme/checkout#1", "a1", "c"), Facts.Deployed("checkout", "a1", 12, predicate: "upgraded")]);

        Assert.Equal(StageStatus.Done, snapshot.Changes["acme/checkout#1"].Stages[^1].Status);
    }

    [Fact]
    public void Stages_ActorsAndEvents_KeptFromTheStartAndEndEvents()
    {
        // The test model's review starts when the change is created and ends when it is merged.
        var created = Facts.Created("acme/checkout#1", 1) with { Actor = "bob" };
        var merged = Facts.Merged("acme/checkout#1", 3) with { Actor = "alice" };
        var snapshot = Build([Facts.Deployed("checkout", "a0", 0), created, merged]);

        var review = snapshot.Changes["acme/checkout#1"].Stages[0];

        Assert.Equal(("bob", "alice"), (review.StartActor, review.EndActor));
        Assert.Equal((created.Sequence, merged.Sequence), (review.StartEvent!.Value, review.EndEvent!.Value));
    }

    [Fact]
    public void Checks_FinishedRunsLinkedToTheChange_FirstOfEachName()
    {
        Fact Suite(string name, double hours, string outcome) =>
            Facts.Event("testsuiterun", "finished", hours, chain: "chain-1") with { Name = name, Outcome = outcome };
        var (lint, unit) = (Suite("lint", 3, "failure"), Suite("unit-tests", 3.5, "success"));
        var snapshot = Build([Facts.Created("acme/checkout#1", 1) with { ChainId = "chain-1" }, lint, Suite("lint", 4, "success"), unit]);

        var checks = snapshot.Changes["acme/checkout#1"].Checks;

        Assert.Equal(
            [new CheckRun("lint", Facts.At(3), "failure", lint.Sequence), new CheckRun("unit-tests", Facts.At(3.5), "success", unit.Sequence)],
            checks);
    }
}
