using System.Globalization;
using Throughline.Health;
using Throughline.Intake;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

/// <summary>Recurring incident causes (docs/diagnostics.md, "Recurring incident causes").</summary>
/// <remarks>
/// <para>The incidents are those detected in the window (<c>from</c> inclusive, <c>to</c> exclusive) and in scope
/// (<see cref="MetricsQuery.CoversIncident"/>, as the quality report counts them). Their attribution is the
/// timeline's; whether their deployment was rolled back or fixed forward is its verdict's (<see cref="ReleaseVerdicts.Of"/>), asked at
/// the incident's resolution.</para>
/// <para>Each is grouped by (service, stage of the change that caused it, cause) and the groups ranked by recurrence × impact: the count
/// × the median recovery time, detection → resolution, an open incident counted up to the window's end.</para>
/// </remarks>
public static partial class IncidentCauses
{
    /// <summary>The service of an incident that names none.</summary>
    public const string NoService = "(no service)";

    /// <summary>The stage of an incident attributed to no deployment.</summary>
    public const string Unattributed = "(unattributed)";

    /// <summary>The stage of an incident whose deployment delivered no known change (a rollback, an artifact of no known change).</summary>
    public const string NoChange = "(no known change)";

    /// <summary>The stage of an incident whose change finished no stage before production.</summary>
    public const string NoStage = "(no stage passed)";

    /// <summary>The groups of <paramref name="query"/>'s incidents, most costly recurrence first.</summary>
    /// <param name="snapshot">The timeline.</param>
    /// <param name="model">The operating model (release health's settings, the services' names).</param>
    /// <param name="query">The window and scope.</param>
    public static IncidentCausesReport Compute(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(query);
        var incidents = TimelineSnapshot.Ordered(snapshot.Incidents.Where(i => query.Contains(i.DetectedAt) && query.CoversIncident(i, model)));
        var keys = incidents.Where(i => i.DeploymentKey is not null).Select(i => i.DeploymentKey!.Value).ToHashSet();
        // A lookup, not a dictionary: the canonical order allows one event's deployment to be listed once per service.
        var deployments = snapshot.Deployments.Where(d => keys.Contains(d.Key)).ToLookup(d => d.Key);
        var attributed = snapshot.Incidents.Where(i => i.DeploymentKey is { } key && keys.Contains(key)).ToLookup(i => i.DeploymentKey!.Value);
        var titles = TitleFrequencies(incidents);
        var people = new People(model);

        var groups = incidents
            .Select(incident =>
            {
                var deployment = incident.DeploymentKey is { } key ? deployments[key].FirstOrDefault(d => d.Service == incident.Service) : null;
                var (stage, change) = StageOf(snapshot, deployment);
                var evidence = new CausedIncident(
                    incident.Id, incident.Description, incident.DetectedAt, incident.ResolvedAt, RecoveryHours(incident, query), incident.DeploymentKey, change,
                    incident.DetectedSequence, FixedBy(incident, deployment, deployment is null ? [] : [.. attributed[deployment.Key]], model, people));
                return (Key: (Service: incident.Service ?? NoService, Stage: stage, Cause: CauseOf(incident, titles)), Evidence: evidence);
            })
            .GroupBy(e => e.Key)
            .Select(g => Group(g.Key, [.. g.Select(e => e.Evidence)], query))
            .OrderByDescending(g => g.Score).ThenByDescending(g => g.Count).ThenByDescending(g => g.LastSeen)
            .ThenBy(g => g.Service, StringComparer.Ordinal).ThenBy(g => g.Stage, StringComparer.Ordinal).ThenBy(g => g.Cause, StringComparer.Ordinal)
            .ToList();
        return new IncidentCausesReport(incidents.Count, groups.Count(g => g.Count >= 2), groups);
    }

    /// <summary>
    /// The stage of the change that caused an incident: of the change its deployment shipped (the deployment's own change, else the last
    /// one it delivered), the last stage of the flow it finished before it first reached production (before the deployment, when it never
    /// did): the last place it could have been stopped.
    /// </summary>
    /// <returns>The stage id and the change; <see cref="Unattributed"/>, <see cref="NoChange"/> or <see cref="NoStage"/> when there is none.</returns>
    /// <param name="snapshot">The timeline (its changes).</param>
    /// <param name="deployment">The deployment the incident is attributed to; null when it is attributed to none.</param>
    public static (string Stage, string? Change) StageOf(TimelineSnapshot snapshot, Deployment? deployment)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (deployment is null)
        {
            return (Unattributed, null);
        }

        var changeId = deployment.ChangeId is { } own && snapshot.Changes.ContainsKey(own) ? own : deployment.Delivered.LastOrDefault(snapshot.Changes.ContainsKey);
        if (changeId is null)
        {
            return (NoChange, null);
        }

        var change = snapshot.Changes[changeId];
        var reached = change.FirstProductionDeliveryAt ?? deployment.At;
        var stage = change.Stages.LastOrDefault(s => s.Status == StageStatus.Done && s.EndedAt < reached);
        return (stage?.StageId ?? NoStage, changeId);
    }

    /// <summary>Detection → resolution in hours; while open (or resolved after it), → the window's end. Never below 0.</summary>
    private static double RecoveryHours(IncidentRecord incident, MetricsQuery query)
    {
        var end = incident.ResolvedAt is { } resolved && resolved < query.To ? resolved : query.To;
        return Math.Max(0, (end - incident.DetectedAt).TotalHours);
    }

    /// <summary>What fixed <paramref name="incident"/>: its deployment's rollback or fix forward when its verdict, asked at the resolution, had
    /// reached one (with who resolved it, else who asked for the rollback); else who resolved it; null while open or when nothing says.</summary>
    /// <remarks>Who resolved it is the person the model names for the login in the incident's tool (its detection's source), else the login.</remarks>
    private static string? FixedBy(IncidentRecord incident, Deployment? deployment, IReadOnlyList<IncidentRecord> attributed, OperatingModel model, People people)
    {
        if (incident.ResolvedAt is not { } resolved)
        {
            return null;
        }

        var resolver = incident.ResolvedBy is { } login
            ? people.Find(login, incident.Source is { } source ? ToolSources.Of(source, model) : null)?.Id ?? login
            : null;

        var verdict = deployment is null ? null : ReleaseVerdicts.Of(deployment, attributed, model, resolved);
        var step = verdict?.Steps.LastOrDefault(s => s.State is VerdictStates.RolledBack or VerdictStates.FixedForward);
        if (step is null)
        {
            return resolver;
        }

        var who = resolver ?? verdict!.Actions.LastOrDefault(a => a.Kind == HealthEvents.RollbackRequested && step.State == VerdictStates.RolledBack)?.Actor;
        var what = step.State == VerdictStates.RolledBack
            ? $"rollback of {deployment!.Service} {deployment.Id}"
            : $"fix forward of {deployment!.Service} by {deployment.Next?.Id}";
        return who is null ? what : $"{what} ({who})";
    }

    private static CauseGroup Group((string Service, string Stage, string Cause) key, CausedIncident[] incidents, MetricsQuery query)
    {
        var hours = incidents.Select(i => i.RecoveryHours).Order().ToArray();
        var median = Percentile.Of(hours, 0.5) ?? 0;
        var last = incidents[^1];
        var days = query.Days;
        var seen = $"seen {(incidents.Length == 1 ? "once" : $"{incidents.Length} times")} in {days.ToString("0.#", CultureInfo.InvariantCulture)} day{(days == 1 ? "" : "s")}";
        var summary = last.ResolvedAt is null ? $"{seen}, the last still open"
            : last.FixedBy is { } fix ? $"{seen}, last fixed by {fix}"
            : $"{seen}, the last resolved with no fix recorded";
        return new CauseGroup(key.Service, key.Stage, key.Cause, hours.Sum(), median, incidents.Length * median, last.DetectedAt, last.FixedBy, summary, incidents);
    }
}
