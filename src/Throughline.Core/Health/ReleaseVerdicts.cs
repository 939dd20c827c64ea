using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Health;

/// <summary>
/// The verdict of every production deployment, and the one rule of whether a deployment failed (for the verdicts, the board and
/// the DORA numbers alike): by the definitions in docs/metrics.md ("Release health").
/// </summary>
/// <remarks>
/// A pure function of the timeline, the model and the time asked about: every step is derived from stored events (the
/// deployment's, its incidents', its checks' and the release-health events Throughline wrote), so <c>rebuild</c> gives the same
/// verdicts. Only the passing of time moves a verdict without an event: verifying turns healthy when the window ends.
/// </remarks>
public static class ReleaseVerdicts
{
    /// <summary>The verdict of <paramref name="deployment"/> at <paramref name="now"/>; null for a rollback or outside production.</summary>
    public static Verdict? Of(Deployment deployment, IReadOnlyList<IncidentRecord> incidents, OperatingModel? model, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(incidents);
        if (!deployment.Production || deployment.IsRollback)
        {
            return null;
        }

        var health = model?.Health ?? HealthSettings.Default;
        var window = health.VerificationWindow;
        var windowEnd = window is { } length ? deployment.At + length : (DateTimeOffset?)null;
        var signals = Signals(deployment, incidents, model, windowEnd).Where(s => s.At <= now).ToList();
        var rules = window is null ? [] : Rules(deployment, health, windowEnd!.Value, now);
        signals.AddRange(rules.Where(r => r.Outcome == RuleOutcome.Failed && r.At <= now).Select(r =>
            new HealthSignal(SignalKinds.Metric, r.At, true, $"metric rule '{r.Rule}': {r.Reason}", r.Evidence.LastOrDefault(), r.Rule)));
        signals.Sort((a, b) => a.At.CompareTo(b.At) is var order && order != 0 ? order : string.CompareOrdinal(a.Kind, b.Kind));
        var actions = Actions(deployment).Where(a => a.At <= now).ToList();

        var steps = new List<VerdictStep>();
        void Step(string state, DateTimeOffset at, string reason) => steps.Add(new VerdictStep(state, at, reason));

        var failing = signals.FirstOrDefault(s => s.Failing);
        var supersededAt = deployment.NextAt;
        if (window is null)
        {
            Step(VerdictStates.NotWatched, deployment.At, "the model sets no health.verification-window: deployments are not verified");
        }
        else
        {
            Step(VerdictStates.Verifying, deployment.At, $"watched for {Durations.Format(window.Value)}, until {windowEnd:yyyy-MM-dd HH:mm} UTC");
            var stop = supersededAt is { } next && next < windowEnd ? next : windowEnd!.Value;
            // A rule still waiting for a measurement due within the window keeps the verdict verifying a little longer.
            var replaced = stop < windowEnd;
            var decided = replaced || rules.All(r => r.Outcome != RuleOutcome.Undecided);
            var concluded = replaced || rules.Count == 0 ? stop : rules.Max(r => r.At) is var decidedAt && decidedAt > stop ? decidedAt : stop;
            if ((failing is null || failing.At > stop) && decided && concluded <= now)
            {
                stop = concluded;
                var inconclusive = rules.FirstOrDefault(r => r.Outcome == RuleOutcome.Inconclusive);
                if (replaced)
                {
                    Step(VerdictStates.Inconclusive, stop, "replaced by the next deployment before its verification window ended");
                }
                else if (inconclusive is not null)
                {
                    Step(VerdictStates.Inconclusive, stop, $"metric rule '{inconclusive.Rule}': {inconclusive.Reason}");
                }
                else
                {
                    Step(VerdictStates.Healthy, stop, signals.Count == 0 && rules.Count == 0
                        ? "no failing signal during the verification window"
                        : $"no failing signal during the verification window ({Passed(signals, rules)})");
                }
            }
        }

        if (failing is not null)
        {
            Step(VerdictStates.Failed, failing.At, failing.Summary);
            var requested = actions.FirstOrDefault(a => a.Kind == HealthEvents.RollbackRequested && a.At >= failing.At);
            var rolledBackAt = deployment.RolledBackAt;
            if (requested is not null && (rolledBackAt is null || requested.At <= rolledBackAt))
            {
                Step(VerdictStates.RollingBack, requested.At, requested.Detail);
            }

            if (rolledBackAt is { } back && back <= now)
            {
                Step(VerdictStates.RolledBack, back, $"the tool reported the rollback ({deployment.Next?.Id})");
            }
            else if (supersededAt is { } next && next <= now && next >= failing.At)
            {
                Step(VerdictStates.FixedForward, next, $"a newer deployment replaced it ({deployment.Next!.Value.Id})");
            }
        }
        else if (deployment.RolledBackAt is { } back && back <= now)
        {
            Step(VerdictStates.RolledBack, back, "rolled back by the tool with no failing signal recorded");
        }

        steps.Sort((a, b) => a.At.CompareTo(b.At) is var order && order != 0 ? order : Rank(a.State).CompareTo(Rank(b.State)));
        var last = steps[^1];
        return new Verdict(deployment, last.State, last.At, last.Reason, steps, signals, rules, actions, windowEnd, failing?.At ?? deployment.RolledBackAt);
    }

    /// <summary>
    /// When <paramref name="deployment"/> failed, whatever the time asked about: its first failing signal (an attributed incident,
    /// an alert, Argo CD reporting it degraded, a failed check or metric rule during verification), else the rollback that followed
    /// it; null when it did not fail. The DORA numbers count a deployment failed exactly when this is not null.
    /// </summary>
    public static DateTimeOffset? FailedAt(Deployment deployment, IReadOnlyList<IncidentRecord> attributed, OperatingModel? model)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(attributed);
        var health = model?.Health ?? HealthSettings.Default;
        var windowEnd = health.VerificationWindow is { } window ? deployment.At + window : (DateTimeOffset?)null;
        DateTimeOffset? first = deployment.RolledBackAt;
        foreach (var incident in attributed)
        {
            first = Earlier(first, incident.DetectedAt);
        }

        if (deployment.Production && !deployment.IsRollback && windowEnd is { } end)
        {
            if (Signals(deployment, [], model, end).FirstOrDefault(s => s.Failing) is { } signal)
            {
                first = Earlier(first, signal.At);
            }

            if (Rules(deployment, health, end, DateTimeOffset.MaxValue).FirstOrDefault(r => r.Outcome == RuleOutcome.Failed) is { } rule)
            {
                first = Earlier(first, rule.At);
            }
        }

        return first;
    }

    private static DateTimeOffset? Earlier(DateTimeOffset? left, DateTimeOffset right) => left is { } l && l <= right ? l : right;

    private static int Rank(string state) => Array.IndexOf(VerdictStates.Order, state);

    private static string Passed(List<HealthSignal> signals, IReadOnlyList<RuleResult> rules)
    {
        var parts = new List<string>();
        var checks = signals.Count(s => s.Kind == SignalKinds.Check && !s.Failing);
        if (checks > 0)
        {
            parts.Add($"{checks} check{(checks == 1 ? "" : "s")} passed");
        }

        parts.AddRange(rules.Select(r => $"rule '{r.Rule}': {r.Reason}"));
        return string.Join("; ", parts);
    }

    /// <summary>The signals read from the timeline: incidents by their tool, checks during verification.</summary>
    private static IEnumerable<HealthSignal> Signals(Deployment deployment, IReadOnlyList<IncidentRecord> incidents, OperatingModel? model, DateTimeOffset? windowEnd)
    {
        var health = model?.Health ?? HealthSettings.Default;
        foreach (var incident in incidents.Where(i => i.DeploymentKey == deployment.Key))
        {
            var kind = SignalKinds.OfIncident(incident.Source, model);
            var counted = kind == SignalKinds.Alert ? health.Signals.Alerts : kind == SignalKinds.Incident ? health.Signals.Incidents : true;
            var what = kind switch
            {
                SignalKinds.Alert => "alert",
                SignalKinds.Degraded => "Argo CD reported the application degraded",
                _ => "incident",
            };
            yield return new HealthSignal(kind, incident.DetectedAt, counted,
                $"{what} {incident.Id}{(incident.Description is { Length: > 0 } d ? $" ({d})" : "")}", incident.DetectedSequence, incident.Id);
        }

        if (windowEnd is not { } end)
        {
            yield break;
        }

        var names = health.Signals.Checks;
        foreach (var check in deployment.Checks ?? [])
        {
            var named = names.Count == 0 ? check.Subject == "testsuiterun" : check.Name is { } name && names.Contains(name);
            if (!named || check.Time > end)
            {
                continue;
            }

            var failed = check.Outcome is "failure" or "fail" or "failed" or "error";
            yield return new HealthSignal(SignalKinds.Check, check.Time, failed,
                $"{check.Subject} '{check.Name ?? check.SubjectId}' {(failed ? "failed" : $"finished ({check.Outcome ?? "no outcome"})")}", check.Sequence, check.Name);
        }
    }

    private static IReadOnlyList<RuleResult> Rules(Deployment deployment, HealthSettings health, DateTimeOffset windowEnd, DateTimeOffset now)
    {
        if (health.Signals.Metrics is not { } metrics)
        {
            return [];
        }

        var measured = (deployment.HealthEvents ?? []).Where(f => f.Kind == HealthEvents.Measured).ToList();
        return [.. metrics.Rules.Select(rule => RuleResults.Of(rule, deployment.At, windowEnd, now,
            [.. measured.Where(f => f.Name == rule.Id).Select(f => (new Measurement(f.Time, f.Value, f.Value is null ? f.Description ?? "no data" : null, f.Outcome == "error", f.Baseline), f.Sequence))]))];
    }

    private static IEnumerable<ReleaseAction> Actions(Deployment deployment) =>
        (deployment.HealthEvents ?? [])
            .Where(f => f.Kind != HealthEvents.Measured)
            .Select(f => new ReleaseAction(f.Kind, f.Time, f.Author, f.Outcome, f.Description ?? f.Kind, f.Sequence));
}
