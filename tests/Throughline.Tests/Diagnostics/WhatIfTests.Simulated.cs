using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Simulation;
using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Diagnostics;

/// <summary>The replay on three weeks of the simulated organisation: a flow of five stages, eight services and every kind of scenario.</summary>
public sealed partial class WhatIfTests
{
    private static readonly SimulationOptions ThreeWeeks = new() { Seed = 3, Days = 21 };

    private static async Task<TimelineSnapshot> SimulatedAsync()
    {
        var drafts = await Simulated.EventsAsync(ThreeWeeks, TestContext.Current.CancellationToken);
        var facts = drafts.Select((draft, i) => FactReader.Read(new StoredEvent(i + 1, ThreeWeeks.Start, draft))).OfType<Fact>();
        return TimelineBuilder.Build(facts, Simulated.Model(ThreeWeeks));
    }

    [Fact]
    public async Task Advise_SimulatedOrganisation_BaselineIntervalHoldsTheMeasuredMedianAndEveryKindIsTried()
    {
        var model = Simulated.Model(ThreeWeeks);
        var snapshot = await SimulatedAsync();
        var window = new MetricsQuery(ThreeWeeks.Start, ThreeWeeks.Start.AddDays(ThreeWeeks.Days));

        var advice = WhatIf.Advise(snapshot, model, window, new WhatIfOptions { Trials = 500 });

        Assert.Null(advice.Reason);
        Assert.True(advice.Changes > 100, $"{advice.Changes} changes");
        Assert.Equal(DoraCalculator.Compute(snapshot, model, window).ChangeLeadTime.MedianHours, advice.MeasuredMedianHours);
        Assert.True(advice.Baseline!.Median.Contains(advice.MeasuredMedianHours!.Value),
            $"measured {advice.MeasuredMedianHours} h, replayed {advice.Baseline.Median}");
        Assert.Equal(Enum.GetValues<WhatIfKind>(), advice.Scenarios.Select(s => s.Kind).Distinct().Order());
        Assert.Equal(advice.Scenarios.OrderByDescending(s => s.GainHours).Select(s => s.GainHours), advice.Scenarios.Select(s => s.GainHours));
    }
}
