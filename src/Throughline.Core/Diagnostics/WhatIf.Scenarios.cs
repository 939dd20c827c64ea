using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

public static partial class WhatIf
{
    /// <summary>A scenario before it is replayed: its name and the change it makes to the draws.</summary>
    private sealed record Candidate(string Name, WhatIfKind Kind, string? Stage, string Detail, Alteration Alteration);

    /// <summary>Every change tried, one at a time; those that cannot be evaluated are named in <paramref name="notEvaluated"/> with the reason.</summary>
    private static List<Candidate> Scenarios(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query, Measured measured, List<string> notEvaluated)
    {
        var candidates = new List<Candidate>();
        var stages = model.Flow.Count;
        var passed = Enumerable.Range(0, stages).Select(k => measured.Passes(k).Count(p => p.Done)).ToArray();
        for (var k = 0; k < stages; k++)
        {
            var stage = model.Flow[k];
            if (passed[k] == 0)
            {
                notEvaluated.Add($"halve {stage.Id} waiting: no change delivered in the window passed {stage.Id}");
                continue;
            }

            var factors = Factors(measured, stages, (_, j) => j == k ? 0.5 : 1);
            var waiting = Percentile.OfUnsorted([.. measured.Passes(k).Where(p => p.Done).Select(p => p.Waiting)], 0.5)[0];
            candidates.Add(new Candidate($"halve {stage.Id} waiting", WhatIfKind.HalveWaiting, stage.Id,
                Text($"every drawn waiting of {stage.Id} halved (measured median {Readable.Hours(waiting)} over {passed[k]} changes)"), new Alteration(factors)));
        }

        for (var k = 0; k < stages; k++)
        {
            var stage = model.Flow[k];
            if (stage.Automated || passed[k] == 0)
            {
                continue;
            }

            if (IsReview(stage))
            {
                notEvaluated.Add($"automate {stage.Id}: a code review is a person's judgment of the change; removing it is not automation");
                continue;
            }

            if (measured.Automated.Length == 0)
            {
                notEvaluated.Add($"automate {stage.Id}: no change delivered in the window passed a stage the model marks automated");
                continue;
            }

            var pooled = string.Join(", ", model.Flow.Where(s => s.Automated).Select(s => s.Id));
            candidates.Add(new Candidate($"automate {stage.Id}", WhatIfKind.Automate, stage.Id,
                Text($"{stage.Id}'s waiting and working drawn from the automated stages ({pooled}: {measured.Automated.Length} passes)"), new Alteration(Automate: k)));
        }

        for (var b = 0; b < measured.Boundaries.Count; b++)
        {
            var (from, to, stage) = measured.Boundaries[b];
            var name = $"remove the handoff {from} → {to} at {stage}";
            if (measured.SameTeamWaiting.Length == 0)
            {
                notEvaluated.Add($"{name}: no stage in the window was held by the team that held the stage before it, so there is no waiting without a handoff to draw from");
                continue;
            }

            var crossings = measured.Samples.Sum(s => s.Count(p => p.Boundary == b));
            candidates.Add(new Candidate(name, WhatIfKind.RemoveHandoff, stage,
                Text($"{stage} held by {from}: its {crossings} crossings wait as long as stages held by the previous stage's team ({measured.SameTeamWaiting.Length} passes)"),
                new Alteration(Boundary: b)));
        }

        var held = WorkInProgress(snapshot, query, measured.Services);
        if (held.All(h => h.HeldBack <= 0))
        {
            notEvaluated.Add("limit work in progress: no service had more work in progress than its median for any time in the window");
        }
        else
        {
            candidates.Add(new Candidate("limit work in progress to its median", WhatIfKind.LimitWorkInProgress, null,
                string.Join("; ", measured.Services.Select((s, i) => Text($"{s}: at most {held[i].Limit} in progress, {Readable.Percent(held[i].HeldBack)} of waiting held back"))),
                new Alteration(Factors(measured, stages, (s, _) => 1 - held[s].HeldBack))));
        }

        candidates.AddRange(SmallerBatches(model, measured, notEvaluated));
        return candidates;
    }

    /// <summary>Half the changes per forward production deployment, per service that delivered more than one per deployment.</summary>
    private static IEnumerable<Candidate> SmallerBatches(OperatingModel model, Measured measured, List<string> notEvaluated)
    {
        var deploying = model.Flow.Select(s => s.Ends is { Subject: "service", Predicate: "deployed" }).ToArray();
        var batch = measured.Services.Select((_, s) => measured.DeploymentsPerService[s] > 0 ? (double)measured.Outside[s].Length / measured.DeploymentsPerService[s] : 1).ToArray();
        var ratio = batch.Select(b => b > 1 ? Math.Max(1, b / 2) / b : 1).ToArray();
        if (ratio.All(r => r >= 1))
        {
            notEvaluated.Add("smaller batches: every service already deployed one change at a time");
            yield break;
        }

        if (!deploying.Any(d => d))
        {
            notEvaluated.Add("smaller batches: no stage of the flow ends at a deployment (service.deployed)");
            yield break;
        }

        var deployments = measured.DeploymentsPerService.Sum();
        var more = measured.DeploymentsPerService.Select((d, s) => d / ratio[s]).Sum();
        var total = measured.DeploymentsPerDay.Sum();
        var factor = total > 0 ? (total - deployments + more) / total : 1;
        yield return new Candidate("smaller batches", WhatIfKind.SmallerBatches, null,
            string.Join("; ", measured.Services.Select((s, i) => Text($"{s}: {batch[i]:0.#} → {batch[i] * ratio[i]:0.#} changes per deployment")))
                + Text($"; waiting of {string.Join(", ", model.Flow.Where((_, k) => deploying[k]).Select(f => f.Id))} shrinks in proportion"),
            new Alteration(Factors(measured, model.Flow.Count, (s, k) => deploying[k] ? ratio[s] : 1), DeploymentsFactor: factor));
    }

    /// <summary>
    /// A code review stage: one that starts or ends at <c>change.reviewed</c>. It is never proposed for automation: a review is a
    /// person's judgment of the change, and removing it is not automation. Approval stages (<see cref="Drift.IsApproval"/>) may be.
    /// </summary>
    public static bool IsReview(FlowStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return stage.Starts is { Subject: "change", Predicate: "reviewed" } || stage.Ends is { Subject: "change", Predicate: "reviewed" };
    }

    private static double[] Factors(Measured measured, int stages, Func<int, int, double> factor)
    {
        var factors = new double[measured.Services.Length * stages];
        for (var s = 0; s < measured.Services.Length; s++)
        {
            for (var k = 0; k < stages; k++)
            {
                factors[(s * stages) + k] = factor(s, k);
            }
        }

        return factors;
    }
}
