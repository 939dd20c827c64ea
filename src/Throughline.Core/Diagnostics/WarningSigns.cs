using System.Globalization;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

/// <summary>The essay's warning signs, each measured with a value, a threshold, a trend and its evidence (docs/diagnostics.md, "Warning signs").</summary>
/// <remarks>
/// <para>The window and scope are a <see cref="MetricsQuery"/>'s, read as the other diagnostics read them (<see cref="Drift"/>): <c>from</c>
/// inclusive, <c>to</c> exclusive; "in flight" and "silent" are judged at <c>to</c>.</para>
/// <para>The trend is each sign measured again over <see cref="TrendParts"/> equal, consecutive parts of the window, exactly as over the
/// whole one, except that a stage's usual time (status unknown) is always the whole window's, so the parts are judged alike.</para>
/// <para>A pure function of its inputs; the events are every stored event up to the window's end, with who each names as acting and the
/// service it names (<see cref="ObservedEvent"/>).</para>
/// </remarks>
public static partial class WarningSigns
{
    /// <summary>How many equal parts of the window the trend measures.</summary>
    public const int TrendParts = 4;

    private const string SplitNote = "the value over each quarter of the window, oldest first";

    /// <summary>A sign's value over one window, its evidence (worst first) and the line for people.</summary>
    private sealed record Measured(double? Value, IReadOnlyList<SignEvidence> Evidence, string Reading);

    /// <summary>Every warning sign for <paramref name="query"/>, in the order of <see cref="DiagnosticsSettings.Definitions"/>.</summary>
    /// <param name="snapshot">The timeline.</param>
    /// <param name="model">The operating model the timeline was built under; its <c>diagnostics.thresholds</c> judge the values.</param>
    /// <param name="query">The window and scope.</param>
    /// <param name="events">Every stored event up to the window's end, with actors and services where they name them.</param>
    public static WarningSignsReport Compute(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query, IReadOnlyList<ObservedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(events);
        var inputs = new Inputs(snapshot, model, events);
        var usual = UsualHours(snapshot, model, query);
        WarningSign Sign(string id, string title, string unit, Func<MetricsQuery, Measured> measure)
        {
            var whole = measure(query);
            var trend = Parts(query).Select(part => measure(part).Value).ToList();
            return new WarningSign(id, title, whole.Value, unit, model.Diagnostics.Threshold(id), trend, SplitNote, whole.Reading,
                [.. whole.Evidence.Take(WarningSign.MaxEvidence)], whole.Evidence.Count);
        }

        return new WarningSignsReport(query.From, query.To,
        [
            Sign(DiagnosticsSettings.StatusUnknown, "Status unknown", "share", q => StatusUnknown(inputs, q, usual)),
            Sign(DiagnosticsSettings.NoEndToEnd, "No end-to-end measurement", "share", q => NoEndToEnd(inputs, q)),
            Sign(DiagnosticsSettings.ToolsWithoutIntegration, "Tools for the same job without integration", "findings", q => ToolsWithoutIntegration(inputs, q)),
            Sign(DiagnosticsSettings.RollbacksNeedPeople, "Rollbacks needing several people", "people", q => RollbacksNeedPeople(inputs, q)),
            Sign(DiagnosticsSettings.SlowOnboarding, "Slow onboarding", "days", q => SlowOnboarding(inputs, q)),
            Sign(DiagnosticsSettings.BlameAtHandoffs, "Blame at handoffs", "share", q => BlameAtHandoffs(inputs, q)),
            Sign(DiagnosticsSettings.RecurringCauses, "Recurring post-mortem causes", "findings", q => RecurringCauses(snapshot, model, q)),
        ]);
    }

    /// <summary>
    /// The incident causes seen at least twice in the window (<see cref="IncidentCausesReport.Recurring"/>), most costly first; each
    /// group's evidence is its latest incident's detection, with the group's summary.
    /// </summary>
    private static Measured RecurringCauses(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        var causes = IncidentCauses.Compute(snapshot, model, query);
        var recurring = causes.Groups.Where(g => g.Count >= 2).ToList();
        var evidence = recurring
            .Select(g => new SignEvidence(EvidenceKind.Event, g.Incidents[^1].Sequence.ToString(CultureInfo.InvariantCulture), $"{g.Service}, {g.Stage}, {g.Cause}: {g.Summary}"))
            .ToList();
        var reading = causes.Incidents == 0
            ? "no incident in the window"
            : string.Create(CultureInfo.InvariantCulture, $"{recurring.Count} of {causes.Groups.Count} causes of the window's {causes.Incidents} incidents were seen more than once")
                + (recurring.Count > 0 ? $"; the most costly: {recurring[0].Cause} at {recurring[0].Service} ({recurring[0].Summary})" : "");
        return new Measured(causes.Incidents == 0 ? null : causes.Recurring, evidence, reading);
    }

    /// <summary>The window cut into <see cref="TrendParts"/> equal, consecutive parts; the last ends exactly at the window's end.</summary>
    private static IEnumerable<MetricsQuery> Parts(MetricsQuery query)
    {
        var length = (query.To - query.From).Ticks / TrendParts;
        for (var i = 0; i < TrendParts; i++)
        {
            yield return query with
            {
                From = query.From.AddTicks(length * i),
                To = i == TrendParts - 1 ? query.To : query.From.AddTicks(length * (i + 1)),
            };
        }
    }

    /// <summary>
    /// Each stage's usual time: the median (PERCENTILE_CONT) of waiting + working over the done passages that ended in the window, in
    /// scope (<see cref="FlowCalculator.PassagesBehind"/>); stages none ended are missing.
    /// </summary>
    private static Dictionary<string, double> UsualHours(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        var usual = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var stage in model.Flow)
        {
            var hours = FlowCalculator.PassagesBehind(snapshot, stage.Id, query)
                .Select(p => p.Interval.WaitingHours.GetValueOrDefault() + p.Interval.WorkingHours.GetValueOrDefault()).Order().ToList();
            if (Percentile.Of(hours, 0.5) is { } median)
            {
                usual[stage.Id] = median;
            }
        }

        return usual;
    }

    /// <summary>
    /// Of the changes in flight at the window's end whose stage has a usual time, the share nobody has heard of for longer than that.
    /// In flight: in scope, started before the end, neither delivered to production nor abandoned before it. Its stage: the first of its
    /// stages, in the flow's order, not skipped and not ended before the end (held by the team asked for). Silent: the end − the latest of
    /// its events before the end.
    /// </summary>
    private static Measured StatusUnknown(Inputs inputs, MetricsQuery query, Dictionary<string, double> usual)
    {
        var end = query.To;
        var found = new List<(ChangeTimeline Change, string Stage, double Silent, double Usual)>();
        var judged = 0;
        foreach (var change in inputs.Snapshot.Changes.Values.Where(c => FlowScope.Covers(c, query)))
        {
            if (change.StartedAt is not { } started || started >= end || change.AbandonedAt < end || change.FirstProductionDeliveryAt < end)
            {
                continue;
            }

            var stage = change.Stages.FirstOrDefault(s => s.Status != StageStatus.Skipped && !(s.EndedAt < end));
            if (stage is null || !FlowScope.Holds(stage, query) || !usual.TryGetValue(stage.StageId, out var hours)
                || inputs.LatestBefore(change, end) is not { } last)
            {
                continue;
            }

            judged++;
            var silent = (end - last).TotalHours;
            if (silent > hours)
            {
                found.Add((change, stage.StageId, silent, hours));
            }
        }

        double? value = judged == 0 ? null : (double)found.Count / judged;
        var reading = judged == 0
            ? "No change in flight at the window's end whose stage has a usual time."
            : $"{found.Count} of {judged} changes in flight ({Readable.Percent(value)}) have had no event for longer than their stage usually takes.";
        return new Measured(value,
            [.. found.OrderByDescending(f => f.Silent / f.Usual).ThenBy(f => f.Change.Id, StringComparer.Ordinal)
                .Select(f => new SignEvidence(EvidenceKind.Change, f.Change.Id, $"silent {Readable.Hours(f.Silent)} at {f.Stage}, usually {Readable.Hours(f.Usual)}"))],
            reading);
    }

    /// <summary>
    /// Of the production deployments in the window (in scope, rollbacks aside: <see cref="DoraCalculator.DeploymentsBehind"/>), the share that
    /// cannot be followed back to where a change began: no change linked (the quality report's deployments without a change), or the linked
    /// change's start (first commit, opened or merged) never seen.
    /// </summary>
    private static Measured NoEndToEnd(Inputs inputs, MetricsQuery query)
    {
        var deployments = DoraCalculator.DeploymentsBehind(inputs.Snapshot, inputs.Model, query).Select(d => d.Deployment).Where(d => !d.IsRollback).ToList();
        var untraced = new List<SignEvidence>();
        foreach (var deployment in deployments)
        {
            var why = deployment.ChangeId is not { } id ? "no change linked to its artifact"
                : !inputs.Snapshot.Changes.TryGetValue(id, out var change) || change.StartedAt is null ? $"change {id} has no start (no commit, opened or merged event)"
                : null;
            if (why is not null)
            {
                untraced.Add(SignEvidence.Of(deployment.Key, why));
            }
        }

        double? value = deployments.Count == 0 ? null : (double)untraced.Count / deployments.Count;
        var reading = deployments.Count == 0
            ? "No production deployment in the window."
            : $"{untraced.Count} of {deployments.Count} production deployments ({Readable.Percent(value)}) cannot be followed back to a change's start.";
        untraced.Reverse(); // latest first
        return new Measured(value, untraced, reading);
    }

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>What every sign reads, looked up once: events by sequence, their tools, and who the model's people are.</summary>
    private sealed class Inputs(TimelineSnapshot snapshot, OperatingModel model, IReadOnlyList<ObservedEvent> events)
    {
        private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
        private HashSet<long>? _linked;
        private (Dictionary<string, DateTimeOffset>, Dictionary<string, ChangeTimeline>)? _onboarding;

        public TimelineSnapshot Snapshot => snapshot;

        public OperatingModel Model => model;

        public IReadOnlyList<ObservedEvent> Events => events;

        public Dictionary<long, ObservedEvent> BySequence { get; } = Index(events);

        public People People { get; } = new(model);

        /// <summary>The events in time order, for the events between two times.</summary>
        public ObservedEvent[] ByTime { get; } = Sorted(events);

        /// <summary>Each person's first event and first change in production (<see cref="OnboardingOf"/>), found once for every part of the window.</summary>
        public (Dictionary<string, DateTimeOffset> FirstEvent, Dictionary<string, ChangeTimeline> FirstChange) Onboarding => _onboarding ??= OnboardingOf(this);

        /// <summary>The events with a time in [<paramref name="from"/>, <paramref name="to"/>] (both included), in time order.</summary>
        public ArraySegment<ObservedEvent> Between(DateTimeOffset from, DateTimeOffset to)
        {
            var start = LowerBound(from, inclusive: true);
            return new ArraySegment<ObservedEvent>(ByTime, start, Math.Max(0, LowerBound(to, inclusive: false) - start));
        }

        /// <summary>The first index whose time is at or after <paramref name="time"/> (after it when not <paramref name="inclusive"/>).</summary>
        private int LowerBound(DateTimeOffset time, bool inclusive)
        {
            var (low, high) = (0, ByTime.Length);
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (inclusive ? ByTime[middle].Time < time : ByTime[middle].Time <= time)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }

        /// <summary>The declared tool of an event (<see cref="EventTools.ToolOf"/>).</summary>
        public Tool? ToolOf(ObservedEvent observed) => EventTools.ToolOf(observed, model);

        /// <summary>Every event some change's story holds, and the detections of incidents attributed to a deployment: the same for every part of the window.</summary>
        public HashSet<long> Linked => _linked ??= LinkedOf(snapshot);

        /// <summary>An event type without its trailing version, worked out once per type.</summary>
        public string TypeWithoutVersion(string type)
        {
            if (!_types.TryGetValue(type, out var bare))
            {
                _types[type] = bare = WarningSigns.TypeWithoutVersion(type);
            }

            return bare;
        }

        private static HashSet<long> LinkedOf(TimelineSnapshot snapshot)
        {
            var linked = new HashSet<long>();
            foreach (var change in snapshot.Changes.Values)
            {
                linked.UnionWith(change.EventSequences);
            }

            linked.UnionWith(snapshot.Incidents.Where(i => i.DeploymentKey is not null).Select(i => i.DetectedSequence));
            return linked;
        }

        private static Dictionary<long, ObservedEvent> Index(IReadOnlyList<ObservedEvent> events)
        {
            var index = new Dictionary<long, ObservedEvent>(events.Count);
            foreach (var observed in events)
            {
                index.TryAdd(observed.Sequence, observed);
            }

            return index;
        }

        private static ObservedEvent[] Sorted(IReadOnlyList<ObservedEvent> events)
        {
            ObservedEvent[] sorted = [.. events];
            Array.Sort(sorted, static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Sequence.CompareTo(b.Sequence));
            return sorted;
        }

        /// <summary>The person an event's actor is (<see cref="People.Find"/>); null when it names nobody or nobody the model knows.</summary>
        public Person? PersonOf(ObservedEvent observed) => observed.Actor is { } actor ? People.Find(actor, ToolOf(observed)) : null;

        /// <summary>The latest time among the change's events before <paramref name="end"/>; null when none is among the events passed in.</summary>
        public DateTimeOffset? LatestBefore(ChangeTimeline change, DateTimeOffset end)
        {
            DateTimeOffset? latest = null;
            foreach (var sequence in change.EventSequences)
            {
                if (BySequence.TryGetValue(sequence, out var observed) && observed.Time < end && !(observed.Time <= latest))
                {
                    latest = observed.Time;
                }
            }

            return latest;
        }
    }
}
