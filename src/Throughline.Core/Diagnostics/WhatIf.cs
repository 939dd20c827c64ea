using System.Globalization;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

/// <summary>
/// What-if advice: a Monte Carlo replay of a window's measured flow, and what it predicts under one change at a time
/// (a stage's waiting halved, a manual stage automated, a handoff removed, a limit on work in progress, smaller batches),
/// ranked by the predicted gain in median lead time.
/// </summary>
/// <remarks>
/// <para>A pure function of the snapshot, the model, the window and the options: the same seed gives the same advice, to
/// the last bit, on every runtime (the draws come from a generator written here, not the platform's). An answer is kept
/// with the snapshot, like the metrics; the first costs trials × simulated changes × stages × (scenarios + 1) passes
/// (docs/diagnostics.md), spread over the processors.</para>
/// <para>The stage times are the timeline's (<see cref="StageInterval.WaitingHours"/>, <see cref="StageInterval.WorkingHours"/>),
/// read from the changes behind the window's lead time (<see cref="DoraCalculator.ChangesBehind"/>): scope and window
/// follow DORA's reading (a change counts when first delivered to production in the window; <c>team</c> keeps the
/// services the team owns).</para>
/// </remarks>
public static partial class WhatIf
{
    /// <summary>The replay's assumptions under <paramref name="resampling"/>, as the advice prints them.</summary>
    /// <param name="resampling">How simulated changes are drawn.</param>
    public static IReadOnlyList<string> Assumptions(WhatIfResampling resampling) => resampling == WhatIfResampling.Stages
        ? [StagesIndependent, .. Common]
        : [ChangesWhole, .. Common];

    private const string ChangesWhole =
        "A simulated change is a measured change of the same service drawn at random, its stages together: what ties a change's stages (size, a weekend, a weekly release) is kept, and the baseline is the measured lead time resampled.";

    private const string StagesIndependent =
        "Each stage's waiting and working are drawn together from one measured pass of that stage, per service; stages are independent of each other, so the baseline drifts from the measured lead time when a change's stages are related.";

    private static readonly string[] Common =
    [
        "A stage a change skipped (or passed out of order) adds nothing, as often as it did in the window: the skip share is the measured one.",
        "A simulated change's lead time is the sum of its stages plus the lead time the stages did not account for (measured per change, never below 0); the first stage starts when the change starts, so that part is usually 0.",
        "Each trial simulates as many changes, per service, as the window delivered (at most the cap, shared in proportion); the interval is the 5th to 95th percentile of the trials' values.",
        "Every scenario replays the same draws of measured passes as the baseline (common random numbers), so a gain is the change's effect, not noise between two replays.",
        "Halving a stage's waiting halves every drawn waiting of that stage; the people and tools it would take are not modelled.",
        "An automated stage takes as long as the stages the model marks automated took, pooled across services; a skipped stage stays skipped. A code review (a stage that starts or ends at change.reviewed) is never automated: it is a person's judgment of the change.",
        "A removed handoff waits as long as a stage whose team also held the stage before it (pooled across stages and services); its working time is unchanged.",
        "A limit on work in progress at its median (per service) holds back the share of work in progress above it (Little's law, throughput unchanged); that share comes off each stage's waiting. The held-back work waits before it starts, outside the lead time as measured; less context switching is not modelled.",
        "Smaller batches: half the changes per production deployment (at least 1), so deployments are that much more frequent and the waiting of each stage that ends at a deployment shrinks in proportion; failure and rework rates are not modelled.",
        "Throughput and deployments per day stay as measured, except under smaller batches.",
    ];

    /// <summary>The what-if advice for <paramref name="query"/>'s window and scope.</summary>
    /// <param name="snapshot">The timeline.</param>
    /// <param name="model">The operating model the timeline was built under; its flow names the stages.</param>
    /// <param name="query">The window and scope (DORA's reading: see the remarks).</param>
    /// <param name="options">Seed, trials and the cap on simulated changes; the defaults when null.</param>
    /// <returns>The advice, or, when nothing can be measured, an empty advice with the reason.</returns>
    public static WhatIfAdvice Advise(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query, WhatIfOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        options ??= new WhatIfOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Trials, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Trials, WhatIfOptions.MaxTrials, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxChangesPerTrial, 1, nameof(options));
        if (model is null || model.Flow.Count == 0)
        {
            return Empty(options, "the operating model declares no flow: there are no stages to replay");
        }

        // The same question about the same snapshot gets the same answer: kept with the snapshot, as the metrics are.
        return snapshot.Derived.GetOrAdd(new AdviceKey(query, options), () => Compute(snapshot, model, query, options));
    }

    /// <summary>An answer kept with the snapshot: the window and scope, and the options (a record: equal when every option is).</summary>
    private sealed record AdviceKey(MetricsQuery Query, WhatIfOptions Options) : DerivedKey<WhatIfAdvice>;

    private static WhatIfAdvice Compute(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query, WhatIfOptions options)
    {
        var measured = Measure(snapshot, model, query);
        if (measured.Leads.Length == 0)
        {
            return Empty(options, string.Create(CultureInfo.InvariantCulture,
                $"no change with a known lead time was delivered to production from {query.From:O} to {query.To:O}: there is no flow to replay"));
        }

        var slots = Slots(measured, options.MaxChangesPerTrial);
        var deployments = Deployments(measured, query.Days, options);
        var baselineTrials = Replay(measured, slots, Alteration.None, options);
        var baseline = Predict(baselineTrials, deployments, 1);
        var notEvaluated = new List<string>();
        var scenarios = Scenarios(snapshot, model, query, measured, notEvaluated)
            .Select(s =>
            {
                var prediction = Predict(Replay(measured, slots, s.Alteration, options), deployments, s.Alteration.DeploymentsFactor);
                var gain = baseline.MedianHours - prediction.MedianHours;
                return new WhatIfScenario(s.Name, s.Kind, s.Stage, s.Detail, prediction, gain, baseline.MedianHours > 0 ? gain / baseline.MedianHours : 0);
            })
            .OrderByDescending(s => s.GainHours)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var measuredMedian = Percentile.OfUnsorted([.. measured.Leads], 0.5)[0];
        return new WhatIfAdvice(
            measured.Leads.Length, slots.Length, options.Trials, options.Seed, measuredMedian, baseline, scenarios, notEvaluated, Assumptions(options.Resampling), null);
    }

    private static WhatIfAdvice Empty(WhatIfOptions options, string reason) =>
        new(0, 0, options.Trials, options.Seed, null, null, [], [], Assumptions(options.Resampling), reason);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
