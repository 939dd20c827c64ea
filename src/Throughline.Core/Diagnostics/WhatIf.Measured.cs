using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

public static partial class WhatIf
{
    /// <summary>One change's pass through one stage: its waiting and working hours, and the handoff it crossed (-1: none).</summary>
    /// <remarks>A stage the change skipped (or passed out of order, with no time of its own) is a sample that is not done: it adds 0.</remarks>
    private readonly record struct StageSample(double Waiting, double Working, int Boundary, bool Done);

    /// <summary>
    /// The measured flow of a window, per service: for each stage one sample per delivered change, the lead time outside
    /// the stages, and the pools the scenarios draw replacements from.
    /// </summary>
    /// <param name="Stages">The flow's stages.</param>
    /// <param name="Services">The services that delivered, in ordinal order; index s below.</param>
    /// <param name="Samples">[s][change × stages + stage]: each delivered change's pass through each stage of the flow, change by change.</param>
    /// <param name="Outside">[s][change]: lead time the stages do not account for (never below 0).</param>
    /// <param name="Leads">The measured lead times, for comparison with the baseline.</param>
    /// <param name="Automated">Every done pass through an automated stage, all services pooled.</param>
    /// <param name="SameTeamWaiting">The waiting of every done stage whose team held the previous done stage too.</param>
    /// <param name="Boundaries">The handoffs crossed: previous team, team, stage; index = a sample's boundary.</param>
    /// <param name="DeploymentsPerService">[s]: forward production deployments (rollbacks left out) in the window.</param>
    /// <param name="DeploymentsPerDay">Each day's production deployments in the window (rollbacks included, as the DORA frequency counts).</param>
    private sealed record Measured(
        int Stages, string[] Services, StageSample[][] Samples, double[][] Outside, double[] Leads, StageSample[] Automated, double[] SameTeamWaiting,
        List<(string From, string To, string Stage)> Boundaries, int[] DeploymentsPerService, int[] DeploymentsPerDay)
    {
        /// <summary>Every service's passes through stage <paramref name="k"/>.</summary>
        public IEnumerable<StageSample> Passes(int k) => Samples.SelectMany(service => service.Where((_, i) => i % Stages == k));
    }

    /// <summary>Reads the window's flow from the changes behind its lead time (DORA's reading: first delivered to production in the window).</summary>
    private static Measured Measure(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        var changes = DoraCalculator.ChangesBehind(snapshot, model, query).Where(c => c.LeadHours is not null).ToList();
        var services = changes.Select(c => c.Delivery.Service).Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = services.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i, StringComparer.Ordinal);
        var samples = services.Select(_ => new List<StageSample>()).ToArray();
        var outside = services.Select(_ => new List<double>()).ToArray();
        var (automated, sameTeam) = (new List<StageSample>(), new List<double>());
        var boundaries = new List<(string From, string To, string Stage)>();
        var boundaryIndex = new Dictionary<(string, string, string), int>();
        foreach (var change in changes)
        {
            var s = index[change.Delivery.Service];
            var (sum, previousTeam) = (0.0, (string?)null);
            for (var k = 0; k < model.Flow.Count; k++)
            {
                var stage = model.Flow[k];
                var interval = change.Change.Stages.FirstOrDefault(i => i.StageId == stage.Id);
                if (interval is not { Status: StageStatus.Done })
                {
                    samples[s].Add(default);
                    continue;
                }

                var (waiting, working) = (interval.WaitingHours ?? 0, interval.WorkingHours ?? 0);
                var boundary = -1;
                if (interval is { Handoff: true, FromTeam: { } from, Team: { } to })
                {
                    if (!boundaryIndex.TryGetValue((from, to, stage.Id), out boundary))
                    {
                        boundary = boundaryIndex[(from, to, stage.Id)] = boundaries.Count;
                        boundaries.Add((from, to, stage.Id));
                    }
                }
                else if (interval.Team is { } team && team == previousTeam)
                {
                    sameTeam.Add(waiting);
                }

                var sample = new StageSample(waiting, working, boundary, true);
                samples[s].Add(sample);
                if (stage.Automated)
                {
                    automated.Add(sample);
                }

                sum += waiting + working;
                previousTeam = interval.Team ?? previousTeam;
            }

            outside[s].Add(Math.Max(0, change.LeadHours!.Value - sum));
        }

        var deployments = DoraCalculator.DeploymentsBehind(snapshot, model, query);
        var perService = services.Select(s => deployments.Count(d => d.Deployment.Service == s && !d.Deployment.IsRollback)).ToArray();
        var perDay = new int[Math.Max(1, (int)Math.Ceiling(query.Days))];
        foreach (var deployment in deployments)
        {
            perDay[Math.Min(perDay.Length - 1, (int)((deployment.Deployment.At - query.From).TotalDays))]++;
        }

        return new Measured(
            model.Flow.Count, services, [.. samples.Select(list => list.ToArray())], [.. outside.Select(o => o.ToArray())],
            [.. changes.Select(c => c.LeadHours!.Value)], [.. automated], [.. sameTeam], boundaries, perService, perDay);
    }

    /// <summary>
    /// Per service, the share of work in progress a limit at its median would hold back: 1 − mean(min(WIP, median)) ÷ mean(WIP),
    /// with WIP the changes started and not yet delivered (nor abandoned), weighted by time over the window, and the median
    /// taken over the time some work was in progress (at least 1); and that limit.
    /// </summary>
    private static (double HeldBack, int Limit)[] WorkInProgress(TimelineSnapshot snapshot, MetricsQuery query, string[] services)
    {
        var steps = services.Select(_ => new List<(DateTimeOffset At, int Step)>()).ToArray();
        var index = services.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i, StringComparer.Ordinal);
        foreach (var change in snapshot.Changes.Values)
        {
            if (change.StartedAt is not { } start || FlowScope.ServiceOf(change) is not { } service || !index.TryGetValue(service, out var s))
            {
                continue;
            }

            var end = change.FirstProductionDeliveryAt ?? change.AbandonedAt ?? query.To;
            var (from, to) = (start < query.From ? query.From : start, end > query.To ? query.To : end);
            if (from < to)
            {
                steps[s].Add((from, 1));
                steps[s].Add((to, -1));
            }
        }

        return [.. steps.Select(list => HeldBack(list, query))];
    }

    private static (double HeldBack, int Limit) HeldBack(List<(DateTimeOffset At, int Step)> steps, MetricsQuery query)
    {
        steps.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Step.CompareTo(b.Step));
        var hoursAt = new SortedDictionary<int, double>();
        var (level, since) = (0, query.From);
        foreach (var (at, step) in steps)
        {
            hoursAt[level] = hoursAt.GetValueOrDefault(level) + (at - since).TotalHours;
            (level, since) = (level + step, at);
        }

        hoursAt[level] = hoursAt.GetValueOrDefault(level) + (query.To - since).TotalHours;
        // The median while work is in progress: a service idle half the time would otherwise get a limit of 0.
        var total = hoursAt.Where(x => x.Key > 0).Sum(x => x.Value);
        var (limit, seen) = (1, 0.0);
        foreach (var (wip, hours) in hoursAt.Where(x => x.Key > 0))
        {
            seen += hours;
            if (seen >= total / 2)
            {
                limit = wip;
                break;
            }
        }

        var mean = hoursAt.Sum(x => x.Key * x.Value);
        var capped = hoursAt.Sum(x => Math.Min(x.Key, limit) * x.Value);
        return (mean > 0 ? 1 - (capped / mean) : 0, limit);
    }
}
