using Throughline.Diagnostics;
using Throughline.Intake;
using Throughline.Metrics;
using Throughline.Simulation;
using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Diagnostics;

/// <summary>
/// The diagnostics checked against what the simulator injected on purpose (docs/diagnostics.md, "Checked on the simulated
/// organisation"): a bottleneck the what-if advice must rank first, and a team approving its own deployments that the drift
/// report must find, change for change, as the ground truth written beside the history lists them.
/// </summary>
public sealed class InjectedTruthTests
{
    private static readonly SimulationOptions Quarter = new() { Seed = 1, Days = 90 };

    private static readonly WhatIfOptions Replay = new() { Trials = 500 };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Diagnose_ReviewBottleneckAndSelfApprovingTeam_HalveReviewFirstAndEveryInjectedApprovalFound()
    {
        var options = Quarter with { Bottleneck = new SimulatedBottleneck("review", 6), SelfApprovingTeam = "storefront" };
        var (snapshot, observed, truth) = await SimulateAsync(options);
        var model = Simulated.Model(options);
        var window = WindowOf(options);

        var advice = WhatIf.Advise(snapshot, model, window, Replay);
        var drift = Drift.Compute(snapshot, model, window, observed);

        var top = advice.Scenarios[0];
        Assert.Equal(("halve review waiting", WhatIfKind.HalveWaiting, "review"), (top.Name, top.Kind, top.Stage));
        Assert.True(top.Prediction.MedianHours < advice.Baseline!.MedianHours, $"{top.Prediction.MedianHours} h predicted, {advice.Baseline.MedianHours} h baseline");
        Report("review=6, storefront approving", advice);
        var injected = truth!.SelfApproval!;
        Assert.Equal(("storefront", "qa-signoff", "qa"), (injected.Team, injected.Stage, injected.DeclaredApprover));
        Assert.NotEmpty(injected.Services);
        Assert.All(injected.Services, s => Assert.Equal("storefront", model.Services.Single(m => m.Id == s).Owner));
        Assert.True(injected.Approvals.Count > 50, $"only {injected.Approvals.Count} approvals injected");
        Assert.Equal(injected.Approvals.Select(a => a.Change).Order(StringComparer.Ordinal), drift.OutsideApprovals.Select(a => a.Change));
        var team = model.People.Where(p => p.Team == "storefront").Select(p => p.Id).ToHashSet();
        var approvers = injected.Approvals.ToDictionary(a => a.Change, a => a.Approver);
        Assert.All(drift.OutsideApprovals, found =>
        {
            Assert.Equal(("qa-signoff", "storefront", "qa"), (found.Stage, found.ActorTeam, found.OwnerTeam));
            Assert.Contains(found.Person, team);
            Assert.Equal(approvers[found.Change], found.Person);
        });
    }

    [Fact]
    public async Task Advise_QaSignOffBottleneck_TopNamesQaSignOff()
    {
        var options = Quarter with { Bottleneck = new SimulatedBottleneck("qa-signoff", 6) };
        var (snapshot, _, truth) = await SimulateAsync(options);
        var model = Simulated.Model(options);

        var advice = WhatIf.Advise(snapshot, model, WindowOf(options), Replay);

        Assert.Equal(new SimulatedBottleneck("qa-signoff", 6), truth!.Bottleneck);
        Assert.Null(truth.SelfApproval);
        Assert.Equal("qa-signoff", advice.Scenarios[0].Stage);
        Assert.True(advice.Scenarios[0].GainHours > 0);
        Report("qa-signoff=6", advice);
    }

    [Fact]
    public async Task Advise_NothingInjected_NoTruthAndNoReviewAutomation()
    {
        var (snapshot, observed, truth) = await SimulateAsync(Quarter);
        var model = Simulated.Model(Quarter);

        var advice = WhatIf.Advise(snapshot, model, WindowOf(Quarter), Replay);
        var drift = Drift.Compute(snapshot, model, WindowOf(Quarter), observed);

        Assert.Null(truth);
        Assert.DoesNotContain(advice.Scenarios, s => s.Name == "automate review");
        Assert.Contains(advice.NotEvaluated, n => n.StartsWith("automate review: a code review is a person's judgment", StringComparison.Ordinal));
        // Without the knob the tickets name nobody, so no approval can be outside QA.
        Assert.Empty(drift.OutsideApprovals);
        Report("nothing injected", advice);
    }

    private static MetricsQuery WindowOf(SimulationOptions options) => new(options.Start, options.Start.AddDays(options.Days));

    /// <summary>The history as the store would keep it (each event once), its timeline, the events as the drift report reads them, and the truth.</summary>
    private static async Task<(TimelineSnapshot Snapshot, List<ObservedEvent> Observed, SimulationTruth? Truth)> SimulateAsync(SimulationOptions options)
    {
        using var history = new MemoryStream();
        var summary = await HistoryFile.WriteAsync(options, history, null, Cancel);
        history.Position = 0;
        var drafts = new List<EventDraft>();
        await foreach (var item in EventFileReader.ReadAsync(history, "api", Cancel))
        {
            drafts.Add(item.Event!);
        }

        var stored = drafts.DistinctBy(d => (d.Source, d.Id)).Select((d, i) => new StoredEvent(i + 1, options.Start, d)).ToList();
        var snapshot = TimelineBuilder.Build(stored.Select(s => FactReader.Read(s)).OfType<Fact>(), Simulated.Model(options));
        var observed = stored.Select(s => new ObservedEvent(s.Sequence, s.Event.Source, s.Event.Origin, s.Event.Type, s.Event.Timestamp, s.Event.Mapped)).ToList();
        // The truth as the file beside the history holds it.
        return (snapshot, observed, summary.Truth is { } truth ? SimulationTruth.Parse(truth.ToJson()) : null);
    }

    private static void Report(string what, WhatIfAdvice advice) =>
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{what}: measured median {advice.MeasuredMedianHours:0.0} h, baseline {advice.Baseline!.MedianHours:0.0} h; " +
            string.Join("; ", advice.Scenarios.Take(5).Select(s => $"{s.Name} {s.Prediction.MedianHours:0.0} h (−{s.GainHours:0.0} h, {s.GainShare:P0})")));
}
