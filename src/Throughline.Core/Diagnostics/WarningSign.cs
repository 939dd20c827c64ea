using Throughline.Timeline;

namespace Throughline.Diagnostics;

/// <summary>What a piece of a warning sign's evidence is, so a page knows where to link it.</summary>
public enum EvidenceKind
{
    /// <summary>A change: <see cref="SignEvidence.Id"/> is its id.</summary>
    Change,

    /// <summary>A deployment: <see cref="SignEvidence.Id"/> is its id and <see cref="SignEvidence.Source"/> its source (<see cref="DeploymentKey"/>).</summary>
    Deployment,

    /// <summary>A stored event: <see cref="SignEvidence.Id"/> is its sequence number.</summary>
    Event,

    /// <summary>A person of the model: <see cref="SignEvidence.Id"/> is their id.</summary>
    Person,

    /// <summary>A declared tool: <see cref="SignEvidence.Id"/> is its id.</summary>
    Tool,

    /// <summary>A team boundary at a stage: <see cref="SignEvidence.Id"/> is the stage id, <see cref="SignEvidence.FromTeam"/> and
    /// <see cref="SignEvidence.ToTeam"/> the teams (the passages behind it: <c>FlowCalculator.PassagesBehind</c> with both).</summary>
    Handoff,
}

/// <summary>One thing a warning sign points at, with a line saying why.</summary>
/// <param name="Kind">What <paramref name="Id"/> names.</param>
/// <param name="Id">The change id, deployment id, event sequence number, person id, tool id or stage id.</param>
/// <param name="Note">Why it is evidence, for people (<c>silent 30 h at review, usually 3 h</c>).</param>
public sealed record SignEvidence(EvidenceKind Kind, string Id, string? Note = null)
{
    /// <summary>A deployment's source (with <see cref="Id"/>, its <see cref="DeploymentKey"/>); null for other kinds.</summary>
    public string? Source { get; init; }

    /// <summary>For a handoff, the team the work came from; null for other kinds.</summary>
    public string? FromTeam { get; init; }

    /// <summary>For a handoff, the team it was handed to; null for other kinds.</summary>
    public string? ToTeam { get; init; }

    /// <summary>Evidence naming a deployment by its key.</summary>
    public static SignEvidence Of(DeploymentKey deployment, string? note) => new(EvidenceKind.Deployment, deployment.Id, note) { Source = deployment.Source };
}

/// <summary>One of the essay's warning signs, measured over a window (docs/diagnostics.md, "Warning signs").</summary>
/// <param name="Id">The sign's id, kebab-case, the key of its threshold under <c>diagnostics.thresholds</c> (<c>status-unknown</c>).</param>
/// <param name="Title">The sign as people name it.</param>
/// <param name="Value">The measured value in <paramref name="Unit"/>; null when there was nothing to measure (no change in flight, no rollback).</param>
/// <param name="Unit"><c>share</c> (0 to 1), <c>findings</c>, <c>people</c> or <c>days</c>.</param>
/// <param name="Threshold">The worst value still accepted, from the model or its default.</param>
/// <param name="Trend">The value over <see cref="WarningSigns.TrendParts"/> equal parts of the window, oldest first; empty when the sign
/// cannot be split (then <paramref name="TrendNote"/> says why).</param>
/// <param name="TrendNote">How the trend was measured, or why there is none.</param>
/// <param name="Reading">One line for people: the value in words and what it rests on.</param>
/// <param name="Evidence">Up to <see cref="MaxEvidence"/> things to link, worst first.</param>
/// <param name="EvidenceTotal">How many there were in all.</param>
public sealed record WarningSign(
    string Id, string Title, double? Value, string Unit, double Threshold, IReadOnlyList<double?> Trend, string TrendNote, string Reading,
    IReadOnlyList<SignEvidence> Evidence, int EvidenceTotal)
{
    /// <summary>The most evidence a sign lists.</summary>
    public const int MaxEvidence = 20;

    /// <summary>True when <see cref="Value"/> is above <see cref="Threshold"/>; false when there was nothing to measure.</summary>
    public bool Breached => Value is { } value && value > Threshold;
}

/// <summary>The warning signs of one window and scope, in a fixed order.</summary>
/// <param name="From">The window's start (inclusive).</param>
/// <param name="To">The window's end (exclusive): "in flight" is judged here.</param>
/// <param name="Signs">One per sign, in the order of <c>DiagnosticsSettings.Definitions</c>.</param>
public sealed record WarningSignsReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<WarningSign> Signs);
