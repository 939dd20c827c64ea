using System.Globalization;
using System.Text;
using Throughline.Health;
using Throughline.Metrics;
using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Web.MetricsApi;

/// <summary>Writes the Prometheus text format (version 0.0.4) by hand: a few gauges, no client library needed.</summary>
/// <remarks>
/// Names follow Prometheus's conventions, which <c>promtool check metrics</c> enforces (a test runs it): base units
/// (seconds, bytes), <c>_total</c> on counters only, a HELP and a TYPE line for each metric.
/// </remarks>
internal static class PrometheusExposition
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private const double SecondsPerHour = 3600;

    public static async Task WriteAsync(HttpContext context, TimelineProjection projection, IEventStore store, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var snapshot = projection.Current;
        var text = new StringBuilder();
        void Metric(string name, string type, string help, IEnumerable<(string? Labels, double? Value)> samples)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in samples)
            {
                if (value is { } v)
                {
                    text.Append(name).Append(labels is null ? "" : "{" + labels + "}").Append(' ')
                        .Append(v.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        var window = MetricsQuery.LastThirtyDays(now);
        var services = snapshot.Deployments.Select(d => d.Service).Concat(projection.Model?.Services.Select(s => s.Id) ?? [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(s => (Label: $"service=\"{Escape(s)}\"", Dora: DoraCalculator.Compute(snapshot, projection.Model, window with { Service = s })))
            .ToList();
        Metric("throughline_deployments", "gauge", "Production deployments in the last 30 days.", services.Select(s => ((string?)s.Label, (double?)s.Dora.DeploymentFrequency.Deployments)));
        Metric("throughline_lead_time_median_seconds", "gauge", "Median change lead time over the last 30 days, in seconds.",
            services.Select(s => ((string?)s.Label, s.Dora.ChangeLeadTime.MedianHours * SecondsPerHour)));
        Metric("throughline_change_failure_rate", "gauge", "Failed / production deployments over the last 30 days.", services.Select(s => ((string?)s.Label, s.Dora.ChangeFailureRate.Rate)));
        Metric("throughline_recovery_time_median_seconds", "gauge", "Median failed deployment recovery time over the last 30 days, in seconds.",
            services.Select(s => ((string?)s.Label, s.Dora.FailedDeploymentRecoveryTime.MedianHours * SecondsPerHour)));
        Metric("throughline_rework_rate", "gauge", "Rework / production deployments over the last 30 days.", services.Select(s => ((string?)s.Label, s.Dora.DeploymentReworkRate.Rate)));
        var attributed = snapshot.Incidents.Where(i => i.DeploymentKey is not null).ToLookup(i => i.DeploymentKey!.Value);
        var verdicts = snapshot.Deployments
            .Where(d => d.Production && !d.IsRollback)
            .GroupBy(d => (d.Service, d.Environment))
            .Select(g => ReleaseVerdicts.Of(g.Last(), [.. attributed[g.Last().Key]], projection.Model, now))
            .OfType<Verdict>()
            .OrderBy(v => v.Deployment.Service, StringComparer.Ordinal).ThenBy(v => v.Deployment.Environment, StringComparer.Ordinal)
            .ToList();
        Metric("throughline_release_verdict", "gauge", "1 for the verdict of each service's latest production deployment (state label), 0 for the other states.",
            verdicts.SelectMany(v => VerdictStates.Order.Select(state =>
                ((string?)$"service=\"{Escape(v.Deployment.Service)}\",environment=\"{Escape(v.Deployment.Environment)}\",state=\"{state}\"", (double?)(v.State == state ? 1 : 0)))));
        Metric("throughline_release_frozen", "gauge", "1 while a service's latest production deployment failed and is neither rolled back nor fixed forward.",
            verdicts.Select(v => ((string?)$"service=\"{Escape(v.Deployment.Service)}\",environment=\"{Escape(v.Deployment.Environment)}\"", (double?)(v.Frozen ? 1 : 0))));
        Metric("throughline_release_verification_remaining_seconds", "gauge", "Seconds left in the verification window of each service's latest production deployment (0 once it ended).",
            verdicts.Where(v => v.WindowEnd is not null).Select(v => ((string?)$"service=\"{Escape(v.Deployment.Service)}\",environment=\"{Escape(v.Deployment.Environment)}\"",
                (double?)Math.Max(0, (v.WindowEnd!.Value - now).TotalSeconds))));

        var newest = (await store.ListNewestAsync(1, context.RequestAborted)).FirstOrDefault()?.Sequence ?? 0;
        Metric("throughline_events_stored", "gauge", "Position of the newest stored event (events stored, less any removed by replay).", [(null, newest)]);
        Metric("throughline_events_read_total", "counter", "Stored events the timeline has read since this server started; rate() gives the ingest rate.", [(null, projection.EventsRead)]);
        Metric("throughline_projection_lag_events", "gauge", "Stored events the timeline has not read yet.", [(null, Math.Max(0, newest - projection.Watermark))]);
        Metric("throughline_projection_age_seconds", "gauge", "Seconds since the timeline was last rebuilt.", [(null, projection.UpdatedAt is { } at ? (now - at).TotalSeconds : null)]);
        Metric("throughline_changes", "gauge", "Changes in the timeline.", [(null, snapshot.Changes.Count)]);
        Metric("throughline_timeline_facts_held", "gauge", "Events the timeline keeps in memory (at most the --timeline-cache setting).", [(null, projection.HeldFacts)]);
        Metric("throughline_timeline_facts_reread_total", "counter", "Events read back from the store to rebuild parts of the timeline whose events were not kept in memory.", [(null, projection.FactsReread)]);
        var memory = GC.GetGCMemoryInfo();
        Metric("throughline_process_resident_bytes", "gauge", "Resident memory of this server process.", [(null, Environment.WorkingSet)]);
        Metric("throughline_gc_heap_bytes", "gauge", "Managed heap size after the last garbage collection.", [(null, memory.HeapSizeBytes)]);
        Metric("throughline_gc_pause_seconds_total", "counter", "Time the garbage collector has paused this process since it started.", [(null, GC.GetTotalPauseDuration().TotalSeconds)]);
        Metric("throughline_gc_collections_total", "counter", "Garbage collections since start, by generation.", [.. Enumerable.Range(0, 3).Select(g => ((string?)$"generation=\"{g}\"", (double?)GC.CollectionCount(g)))]);
        context.Response.ContentType = ContentType;
        await context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
