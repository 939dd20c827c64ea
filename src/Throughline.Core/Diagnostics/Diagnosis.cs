using Throughline.Access;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

/// <summary>Everything the diagnostics find for one window and scope: what `throughline diagnose`, <c>GET /api/diagnostics</c> and the page show.</summary>
/// <param name="From">The window's start (inclusive).</param>
/// <param name="To">The window's end (exclusive).</param>
/// <param name="Service">The service scope; null for every service.</param>
/// <param name="Team">The team scope; null for every team.</param>
/// <param name="EventsRead">How many stored events the source and tool measures read (every event up to the timeline's watermark).</param>
/// <param name="WhatIf">What to fix next: the what-if advice, scenarios ranked by predicted gain.</param>
/// <param name="Drift">Where what happened departs from the model.</param>
/// <param name="Tools">How each declared tool really connects.</param>
/// <param name="MissingChecks">Required checks and reviews that never happened.</param>
/// <param name="WarningSigns">The essay's seven warning signs, each with its value, threshold, trend and evidence.</param>
/// <param name="IncidentCauses">The window's incidents grouped by cause, most costly recurrence first.</param>
public sealed record Diagnosis(
    DateTimeOffset From, DateTimeOffset To, string? Service, string? Team, int EventsRead,
    WhatIfAdvice WhatIf, WarningSignsReport WarningSigns, DriftReport Drift, IReadOnlyList<ToolConnection> Tools, MissingChecksReport MissingChecks,
    IncidentCausesReport IncidentCauses);

/// <summary>The diagnostics put together, and the inputs only the store holds (refused deliveries).</summary>
public static class Diagnoses
{
    /// <summary>Every measure of the diagnostics for <paramref name="query"/>; kept with the snapshot, like the metrics.</summary>
    /// <param name="snapshot">The timeline.</param>
    /// <param name="model">The operating model the timeline was built under.</param>
    /// <param name="query">The window and scope.</param>
    /// <param name="events">Every stored event up to the timeline's watermark (<see cref="ObservedEventLog.View"/>).</param>
    /// <param name="refused">Refused webhook deliveries in the window by tool id (<see cref="RefusedDeliveriesAsync"/>).</param>
    /// <param name="options">The what-if replay's seed and trials; the defaults when null.</param>
    public static Diagnosis Compute(
        TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query, IReadOnlyList<ObservedEvent> events,
        IReadOnlyDictionary<string, int> refused, WhatIfOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(refused);
        options ??= new WhatIfOptions();
        var key = new DiagnosisKey(query, options, events.Count, string.Join(",", refused.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}")));
        return snapshot.Derived.GetOrAdd(key, () => Diagnose(snapshot, model, query, events, refused, options));
    }

    private static Diagnosis Diagnose(
        TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query, IReadOnlyList<ObservedEvent> events, IReadOnlyDictionary<string, int> refused, WhatIfOptions options)
    {
        // Every measure reads the events: made once here, not once per measure from the log's columns.
        var held = events as ObservedEvent[] ?? [.. events];
        return new Diagnosis(
            query.From, query.To, query.Service, query.Team, held.Length,
            WhatIf.Advise(snapshot, model, query, options),
            WarningSigns.Compute(snapshot, model, query, held),
            Drift.Compute(snapshot, model, query, held),
            ToolConnections.Compute(snapshot, model, query, held, refused),
            MissingChecks.Compute(snapshot, model, query),
            IncidentCauses.Compute(snapshot, model, query));
    }

    /// <summary>
    /// Webhook deliveries refused (a bad signature or token) in the window, by tool id, read from the audit log: a refusal is one,
    /// a line holding back a minute's further refusals counts them.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> RefusedDeliveriesAsync(IEventStore store, MetricsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        const int page = 1_000;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var before = long.MaxValue;
        while (true)
        {
            var entries = await store.ListAuditAsync(before, page, cancellationToken);
            foreach (var entry in entries)
            {
                if (entry.Entry.At >= query.From && entry.Entry.At < query.To && AuditActions.RefusedDeliveries(entry.Entry) is var (tool, count))
                {
                    counts[tool] = counts.GetValueOrDefault(tool) + count;
                }
            }

            // The log is written in time order, so a page that reaches before the window ends the reading.
            if (entries.Count < page || entries[^1].Entry.At < query.From)
            {
                return counts;
            }

            before = entries[^1].Sequence;
        }
    }

    /// <summary>A diagnosis kept with the snapshot: the question, the replay's options and what the store added.</summary>
    private sealed record DiagnosisKey(MetricsQuery Query, WhatIfOptions Options, int Events, string Refused) : DerivedKey<Diagnosis>;
}
