using System.Globalization;
using Throughline.Metrics;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

public static partial class WarningSigns
{
    /// <summary>
    /// Findings of tools that do not work together, counted: (a) per service and event type (without its version), two or more declared
    /// tools sent events of that type in the window belonging to the stories of that service's changes (in scope); (b) a declared tool
    /// that sent events in the window, none of which belongs to any change's story or is the detection of an incident attributed to a
    /// deployment. (b) is not narrowed by the scope: an event that links to nothing names no change to scope it by.
    /// </summary>
    private static Measured ToolsWithoutIntegration(Inputs inputs, MetricsQuery query)
    {
        var linked = inputs.Linked;
        var senders = new Dictionary<(string Service, string Type), SortedDictionary<string, ObservedEvent>>();
        foreach (var change in inputs.Snapshot.Changes.Values)
        {
            if (FlowScope.ServiceOf(change) is not { } service || !FlowScope.Covers(change, query))
            {
                continue;
            }

            foreach (var sequence in change.EventSequences)
            {
                if (!inputs.BySequence.TryGetValue(sequence, out var observed) || !query.Contains(observed.Time) || inputs.ToolOf(observed) is not { } tool)
                {
                    continue;
                }

                var key = (service, inputs.TypeWithoutVersion(observed.Type));
                if (!senders.TryGetValue(key, out var tools))
                {
                    senders[key] = tools = new(StringComparer.Ordinal);
                }

                if (!tools.TryGetValue(tool.Id, out var latest) || observed.Time >= latest.Time)
                {
                    tools[tool.Id] = observed;
                }
            }
        }

        var evidence = new List<SignEvidence>();
        var findings = 0;
        foreach (var ((service, type), tools) in senders.Where(s => s.Value.Count > 1).OrderBy(s => s.Key.Service, StringComparer.Ordinal).ThenBy(s => s.Key.Type, StringComparer.Ordinal))
        {
            findings++;
            var names = string.Join(", ", tools.Keys);
            evidence.AddRange(tools.Select(t => new SignEvidence(EvidenceKind.Event, t.Value.Sequence.ToString(CultureInfo.InvariantCulture),
                $"{t.Key} sends {type} for {service}, as {names} do")));
        }

        var byTool = inputs.Between(query.From, query.To).Where(e => query.Contains(e.Time)).ToLookup(e => inputs.ToolOf(e)?.Id);
        foreach (var tool in inputs.Model.Tools)
        {
            var sent = byTool[tool.Id].ToList();
            if (sent.Count > 0 && !sent.Exists(e => linked.Contains(e.Sequence)))
            {
                findings++;
                var latest = sent.MaxBy(e => (e.Time, e.Sequence))!;
                evidence.Add(new SignEvidence(EvidenceKind.Tool, tool.Id,
                    $"{sent.Count} events in the window, none linked to a change (latest: event {latest.Sequence})"));
            }
        }

        var reading = findings == 0
            ? "No two tools send the same events for a service, and every tool that sent events reached a change."
            : $"{findings} finding{(findings == 1 ? "" : "s")}: tools sending the same events for a service, or whose events reach no change.";
        return new Measured(findings, evidence, reading);
    }

    /// <summary>An event type without its trailing version (<c>dev.cdevents.change.merged.0.3.0</c> → <c>dev.cdevents.change.merged</c>).</summary>
    private static string TypeWithoutVersion(string type)
    {
        var parts = type.Split('.');
        var kept = parts.Length;
        while (kept > 1 && parts[kept - 1].Length > 0 && parts[kept - 1].All(char.IsAsciiDigit))
        {
            kept--;
        }

        return string.Join('.', parts.Take(kept));
    }

    /// <summary>
    /// Over the production deployments in the window (in scope) that failed and were rolled back, the median (PERCENTILE_CONT) number of
    /// distinct people who acted from the failure (<c>ReleaseVerdicts.FailedAt</c>) to the rollback, both included: the actors of the events
    /// in that time naming the deployment's service or among its release-health events, each the model's person (<see cref="People"/>),
    /// else the login as written. The elapsed time is in each deployment's evidence and in the reading.
    /// </summary>
    private static Measured RollbacksNeedPeople(Inputs inputs, MetricsQuery query)
    {
        var rollbacks = new List<(Deployment Deployment, int People, double Hours, string Names)>();
        foreach (var evidence in DoraCalculator.DeploymentsBehind(inputs.Snapshot, inputs.Model, query))
        {
            var deployment = evidence.Deployment;
            if (deployment.IsRollback || deployment.RolledBackAt is not { } back)
            {
                continue;
            }

            var failed = Health.ReleaseVerdicts.FailedAt(deployment, evidence.Incidents, inputs.Model) is { } at && at <= back ? at : back;
            var own = (deployment.HealthEvents ?? []).Select(f => f.Sequence).ToHashSet();
            var people = inputs.Between(failed, back)
                .Where(e => e.Actor is not null && (e.Service == deployment.Service || own.Contains(e.Sequence)))
                .Select(e => inputs.PersonOf(e)?.Id ?? e.Actor!)
                .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
            rollbacks.Add((deployment, people.Count, (back - failed).TotalHours, string.Join(", ", people)));
        }

        var value = Percentile.Of([.. rollbacks.Select(r => (double)r.People).Order()], 0.5);
        var hours = Percentile.Of([.. rollbacks.Select(r => r.Hours).Order()], 0.5);
        var reading = rollbacks.Count == 0
            ? "No production deployment in the window failed and was rolled back."
            : $"{rollbacks.Count} rollback{(rollbacks.Count == 1 ? "" : "s")}: a median of {Number(value!.Value)} people and {Readable.Hours(hours)} from failure to rollback.";
        return new Measured(value,
            [.. rollbacks.OrderByDescending(r => r.People).ThenByDescending(r => r.Hours).ThenBy(r => r.Deployment, Comparer<Deployment>.Create(TimelineSnapshot.Compare))
                .Select(r => SignEvidence.Of(r.Deployment.Key, $"{r.People} people ({r.Names}), {Readable.Hours(r.Hours)} from failure to rollback"))],
            reading);
    }
}
