using Throughline.Board;
using Throughline.Tests.Timeline;
using Throughline.Timeline;

namespace Throughline.Tests.Board;

/// <summary>The board's read model on hand-made facts (hours after <see cref="Facts.T0"/>), without HTTP.</summary>
public sealed class ReleaseBoardBuilderTests
{
    private static TimelineSnapshot Snapshot() => TimelineBuilder.Build(
    [
        Facts.Deployed("checkout", "a0", 0),
        Facts.Created("acme/checkout#1", 1), Facts.Merged("acme/checkout#1", 2),                       // rides along to staging with #3
        Facts.Created("acme/checkout#2", 3),                                                            // in review since hour 3
        Facts.Created("acme/checkout#3", 5), Facts.Merged("acme/checkout#3", 6),
        Facts.Event("pipelinerun", "started", 6.5, chain: "c3"), Facts.Packaged("a3", "acme/checkout#3", 7),
        Facts.Deployed("checkout", "a3", 8, "staging"),                                                 // waiting for QA since hour 8
        Facts.Incident("INC-1", 1),                                                                     // open, attributed to a0 (window)
    ], Facts.Model());

    [Fact]
    public void Build_CardsAtTheirStage_WithTheirHolders_QueuesAndReleaseHealth()
    {
        var board = ReleaseBoardBuilder.Build(Snapshot(), Facts.Model(), Facts.At(10));

        var checkout = board.Services.Single(s => s.Service == "checkout");
        Assert.Equal(
            [("acme/checkout#2", "review", "web", 7.0), ("acme/checkout#1", "qa-signoff", "qa", 2.0), ("acme/checkout#3", "qa-signoff", "qa", 2.0)],
            checkout.InFlight.Select(c => (c.ChangeId, c.Stage!, c.Team!, c.WaitedHours!.Value)));
        Assert.All(checkout.InFlight, c => Assert.False(c.Overdue)); // no earlier weeks: no judgement
        var review = board.Queues.Single(q => q.Stage == "review");
        Assert.Equal((1, "acme/checkout#2", 7.0, "web"), (review.Cards, review.OldestChangeId, review.OldestHours!.Value, review.Holders.Single()));
        var release = Assert.Single(checkout.LatestProductionDeployments);
        Assert.Equal(("incident-open", "/argocd"), (release.Health, release.Source));
    }

    [Fact]
    public void Build_Team_KeepsTheCardsItHoldsWhateverTheirService()
    {
        var qa = ReleaseBoardBuilder.Build(Snapshot(), Facts.Model(), Facts.At(10), team: "qa");
        var web = ReleaseBoardBuilder.Build(Snapshot(), Facts.Model(), Facts.At(10), team: "web");

        Assert.Equal(["acme/checkout#1", "acme/checkout#3"], qa.Services.SelectMany(s => s.InFlight).Select(c => c.ChangeId));
        Assert.Equal(["acme/checkout#2"], web.Services.SelectMany(s => s.InFlight).Select(c => c.ChangeId));
        Assert.Contains(web.Services, s => s.Service == "catalog" && s.InFlight.Count == 0); // the columns of the services web owns stay
    }

    [Fact]
    public void PositionOf_TheStageEnteredAndWhenWorkStarted()
    {
        var change = Snapshot().Changes["acme/checkout#2"];

        Assert.Equal(new Position("review", null, "web", "in-progress", Facts.At(3), Facts.At(3)), ReleaseBoardBuilder.PositionOf(change));
        Assert.Equal("open", ReleaseBoardBuilder.StateName(change.State));
    }
}
