namespace Throughline.Diagnostics;

/// <summary>How a what-if replay runs: its seed, its number of trials and how many changes one trial simulates.</summary>
/// <remarks>The same snapshot, model, window and options always give the same advice, to the last bit (docs/diagnostics.md).</remarks>
public sealed record WhatIfOptions
{
    /// <summary>The most trials a replay may run: the cost grows with trials × changes × stages × scenarios.</summary>
    public const int MaxTrials = 100_000;

    /// <summary>Seeds every draw; each trial draws from its own stream, derived from the seed and the trial's number.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How many trials each scenario (and the baseline) runs: 1 to <see cref="MaxTrials"/>.</summary>
    public int Trials { get; init; } = 2_000;

    /// <summary>
    /// The most changes one trial simulates. A window that delivered more is simulated with this many, shared among its
    /// services in proportion to what each delivered, so the interval is that of a sample of this size (wider than the window's own).
    /// </summary>
    public int MaxChangesPerTrial { get; init; } = 1_000;

    /// <summary>What a simulated change is drawn from: whole measured changes (the default), or each stage on its own.</summary>
    public WhatIfResampling Resampling { get; init; } = WhatIfResampling.Changes;
}

/// <summary>How a what-if replay draws a simulated change from the measured ones of its service.</summary>
public enum WhatIfResampling
{
    /// <summary>
    /// One measured change, all its stages together: what ties a change's stages (a large change is slow everywhere, a
    /// change that waits over a weekend) is kept, and the baseline is the measured lead time resampled.
    /// </summary>
    Changes,

    /// <summary>
    /// Each stage's pass from a measured change drawn for that stage alone: stages independent of each other. Mixes more,
    /// and drifts from the measured lead time when a change's stages are related (docs/diagnostics.md).
    /// </summary>
    Stages,
}

/// <summary>A range of predicted values: the 5th to the 95th percentile across the trials.</summary>
/// <param name="Low">The 5th percentile.</param>
/// <param name="High">The 95th percentile.</param>
public readonly record struct Spread(double Low, double High)
{
    /// <summary>True when <paramref name="value"/> lies in [Low, High].</summary>
    /// <param name="value">The value to place.</param>
    public bool Contains(double value) => value >= Low && value <= High;
}

/// <summary>What a replay predicts for the window's flow.</summary>
/// <param name="MedianHours">The median lead time: the median across trials of each trial's median.</param>
/// <param name="Median">The 5th–95th percentile of the trials' medians.</param>
/// <param name="P85Hours">The 85th percentile of lead time: the median across trials of each trial's 85th percentile.</param>
/// <param name="P85">The 5th–95th percentile of the trials' 85th percentiles.</param>
/// <param name="DeploymentsPerDay">Production deployments per day.</param>
/// <param name="Deployments">The 5th–95th percentile of deployments per day across the trials (the window's days resampled).</param>
public sealed record WhatIfPrediction(double MedianHours, Spread Median, double P85Hours, Spread P85, double DeploymentsPerDay, Spread Deployments);

/// <summary>The kinds of change a what-if replay tries, one at a time.</summary>
public enum WhatIfKind
{
    /// <summary>One stage's waiting cut by half.</summary>
    HalveWaiting,

    /// <summary>A manual stage automated: its waiting and working drawn from the automated stages'.</summary>
    Automate,

    /// <summary>A handoff removed: the stage's waiting drawn from stages the same team held before it.</summary>
    RemoveHandoff,

    /// <summary>Work in progress limited to its usual (median) level per service.</summary>
    LimitWorkInProgress,

    /// <summary>Half the changes per production deployment, deployed twice as often.</summary>
    SmallerBatches,
}

/// <summary>One change to the flow and what the replay predicts under it.</summary>
/// <param name="Name">What to do, as a person says it: <c>halve review waiting</c>.</param>
/// <param name="Kind">Which kind of change.</param>
/// <param name="Stage">The stage it changes; null when it changes every stage.</param>
/// <param name="Detail">What the replay changed, with the measured numbers it rests on.</param>
/// <param name="Prediction">The prediction under the change.</param>
/// <param name="GainHours">The baseline's median lead time minus this one's (negative: slower).</param>
/// <param name="GainShare">The gain as a share of the baseline's median (0.48 is 48 %); 0 when the baseline is 0.</param>
public sealed record WhatIfScenario(
    string Name, WhatIfKind Kind, string? Stage, string Detail, WhatIfPrediction Prediction, double GainHours, double GainShare);

/// <summary>The what-if advice for a window: the baseline replay, the scenarios ranked by gain, and the model's assumptions.</summary>
/// <param name="Changes">The changes delivered to production in the window whose stage times were measured (lead time known).</param>
/// <param name="SimulatedChanges">How many changes each trial simulates (<paramref name="Changes"/>, at most <see cref="WhatIfOptions.MaxChangesPerTrial"/>).</param>
/// <param name="Trials">The trials per scenario.</param>
/// <param name="Seed">The seed the draws came from.</param>
/// <param name="MeasuredMedianHours">The median lead time measured over the same changes: how far the baseline replay is from what happened.</param>
/// <param name="Baseline">The replay of the flow as measured; null when nothing could be measured.</param>
/// <param name="Scenarios">Every scenario evaluated, largest gain first (ties by name).</param>
/// <param name="NotEvaluated">The scenarios that could not be evaluated, each with the reason.</param>
/// <param name="Assumptions">What the replay assumes, one sentence each.</param>
/// <param name="Reason">Why there is no advice (no flow, no delivered change); null when there is.</param>
public sealed record WhatIfAdvice(
    int Changes, int SimulatedChanges, int Trials, int Seed, double? MeasuredMedianHours, WhatIfPrediction? Baseline,
    IReadOnlyList<WhatIfScenario> Scenarios, IReadOnlyList<string> NotEvaluated, IReadOnlyList<string> Assumptions, string? Reason);
