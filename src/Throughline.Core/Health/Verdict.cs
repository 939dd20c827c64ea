using Throughline.Intake;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Health;

/// <summary>A production deployment's verdict at one time, with the story that led to it.</summary>
/// <param name="Deployment">The deployment judged.</param>
/// <param name="State">The state now (<see cref="VerdictStates"/>).</param>
/// <param name="Since">Since when.</param>
/// <param name="Reason">Why, in a sentence.</param>
/// <param name="Steps">Every state it went through, in time order, each with its reason.</param>
/// <param name="Signals">What was observed about it (failing or not), in time order, each with the stored event behind it.</param>
/// <param name="Rules">Each metric rule's outcome so far.</param>
/// <param name="Actions">What Throughline did and was asked to do about it (notifications, rollback requests and calls).</param>
/// <param name="WindowEnd">When its verification window ends; null when the model sets none.</param>
/// <param name="FailedAt">When it failed (the rule the DORA numbers use); null when it did not.</param>
public sealed record Verdict(
    Deployment Deployment, string State, DateTimeOffset Since, string Reason, IReadOnlyList<VerdictStep> Steps,
    IReadOnlyList<HealthSignal> Signals, IReadOnlyList<RuleResult> Rules, IReadOnlyList<ReleaseAction> Actions,
    DateTimeOffset? WindowEnd, DateTimeOffset? FailedAt)
{
    /// <summary>Failed and not yet rolled back or fixed forward: the service is frozen.</summary>
    public bool Frozen => State is VerdictStates.Failed or VerdictStates.RollingBack;
}

/// <summary>One state a verdict went through.</summary>
/// <param name="State">The state (<see cref="VerdictStates"/>).</param>
/// <param name="At">When it was entered.</param>
/// <param name="Reason">Why.</param>
public sealed record VerdictStep(string State, DateTimeOffset At, string Reason);

/// <summary>Something observed about a deployment that bears on its health.</summary>
/// <param name="Kind">What kind of signal (<see cref="SignalKinds"/>).</param>
/// <param name="At">When.</param>
/// <param name="Failing">Whether it fails the deployment.</param>
/// <param name="Summary">What it says, in a sentence.</param>
/// <param name="Sequence">The stored event behind it (<c>/api/events/{sequence}</c>); null when none.</param>
/// <param name="Ref">The incident id, check name or rule id.</param>
public sealed record HealthSignal(string Kind, DateTimeOffset At, bool Failing, string Summary, long? Sequence, string? Ref);

/// <summary>Something done about a deployment: recorded by Throughline as a release-health event.</summary>
/// <param name="Kind">The event's kind (<see cref="HealthEvents"/>: requested, called, notified).</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who did or asked for it (a person, a token, or <c>policy</c>).</param>
/// <param name="Outcome">How it went (<c>success</c>, <c>failure</c>, <c>refused</c>), when it says.</param>
/// <param name="Detail">What happened, in a sentence.</param>
/// <param name="Sequence">The stored event.</param>
public sealed record ReleaseAction(string Kind, DateTimeOffset At, string? Actor, string? Outcome, string Detail, long Sequence);

/// <summary>The states of a verdict, as the API and the pages write them.</summary>
public static class VerdictStates
{
    public const string NotWatched = "not watched";
    public const string Verifying = "verifying";
    public const string Healthy = "healthy";
    public const string Inconclusive = "inconclusive";
    public const string Failed = "failed";
    public const string RollingBack = "rolling back";
    public const string RolledBack = "rolled back";
    public const string FixedForward = "fixed forward";

    /// <summary>The order states follow one another in (for steps at the same instant).</summary>
    public static readonly string[] Order = [NotWatched, Verifying, Healthy, Inconclusive, Failed, RollingBack, RolledBack, FixedForward];
}

/// <summary>The kinds of signal, and which tool's incidents are which.</summary>
public static class SignalKinds
{
    public const string Incident = "incident";
    public const string Alert = "alert";
    public const string Degraded = "argocd-degraded";
    public const string Check = "check";
    public const string Metric = "metric";

    /// <summary>An incident's kind by the tool that detected it (<see cref="ToolSources"/>): Alertmanager's are alerts, Argo CD's are
    /// degraded health; a source that names no declared tool is recognised by its own name.</summary>
    public static string OfIncident(string? source, OperatingModel? model)
    {
        if (source is null)
        {
            return Incident;
        }

        var kind = (model is null ? null : ToolSources.Of(source, model))?.Kind.Name ?? source;
        return kind.Contains("alertmanager", StringComparison.OrdinalIgnoreCase) ? Alert
            : kind.Contains("argocd", StringComparison.OrdinalIgnoreCase) ? Degraded
            : Incident;
    }
}
