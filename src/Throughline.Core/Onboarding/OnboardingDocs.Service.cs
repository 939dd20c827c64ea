using Throughline.Health;
using Throughline.Metrics;
using Throughline.Model;

namespace Throughline.Onboarding;

public static partial class OnboardingDocs
{
    /// <summary>Most rows a list on a page shows (the Diagnostics page and the API have them all).</summary>
    private const int Rows = 10;

    private static DocPage ServicePage(Context context, Service service)
    {
        var model = context.Model;
        var name = service.Name ?? service.Id;
        var flow = FlowCalculator.Compute(context.Snapshot, model, context.Window(service.Id));
        var page = new Markdown()
            .Line($"# {Markdown.Text(name)}")
            .Blank()
            .Line($"{Markdown.Link("All services and teams", "../index.md")} · service `{service.Id}` · owned by {Markdown.Link(context.TeamName(service.Owner), $"../teams/{service.Owner}.md")}")
            .Blank()
            .Line($"Written by Throughline from the operating model and what it observed from {context.Period}; change the model, not this page.")
            .Blank();
        Owners(context, service, page);
        page.Line($"## Its code").Blank()
            .Line($"- Repositories: {Markdown.Text(service.Repositories.Count == 0 ? "none declared" : string.Join(", ", service.Repositories))}")
            .Line($"- Paths: {Markdown.Text(service.Paths.Count == 0 ? "the whole repository" : string.Join(", ", service.Paths))}")
            .Blank();
        Flow(context, service, flow, page);
        Fastest(context, service, flow, page);
        GoesWrong(context, service, page);
        Incidents(context, service, page);
        Differences(context, service, page);
        return new DocPage($"services/{service.Id}.md", name, page.ToString());
    }

    private static void Owners(Context context, Service service, Markdown page)
    {
        var model = context.Model;
        page.Line($"## Who owns it and who to ask").Blank()
            .Line($"Owner: {WhoToAsk(context, service.Owner, "../", contacts: true)}.").Blank();
        var responsibilities = model.Responsibilities.Keys.Union(service.Responsibilities.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (responsibilities.Count == 0)
        {
            page.Line($"The model names no responsibilities.").Blank();
            return;
        }

        page.Table(["Responsibility", "Held by", "Set for"], responsibilities
            .Select(r => (Name: r, Team: model.ResolveResponsibility(r, service.Id)))
            .Where(r => r.Team is not null)
            .Select(r => (IReadOnlyList<string>)
            [
                Markdown.Text(r.Name), WhoToAsk(context, r.Team!, "../", contacts: true),
                service.Responsibilities.ContainsKey(r.Name) ? "this service" : "the organisation",
            ]));
    }

    private static void Flow(Context context, Service service, FlowMetrics flow, Markdown page)
    {
        var model = context.Model;
        var stages = model.Flow.Select(s => (Stage: s, Owner: model.ResolveStageOwner(s, service.Id), Measured: flow.Stages.FirstOrDefault(f => f.Stage == s.Id))).ToList();
        page.Line($"## How a change gets to production").Blank()
            .Line($"Typical times are the medians over the changes of {Markdown.Text(service.Id)} whose stage ended in the window, as the value stream shows them; waiting is from entering the stage to its start, working from its start to its end.")
            .Blank()
            .Mermaid(Flowchart(model, [.. stages.Select(s => new[]
            {
                s.Stage.Name ?? s.Stage.Id,
                $"{(s.Owner is { } owner ? context.TeamName(owner) : OwnerText(s.Stage.Owner))} · {s.Stage.Tool ?? "any tool"} · {(s.Stage.Automated ? "automated" : "manual")}",
                $"waits {Readable.Hours(s.Measured?.Waiting.MedianHours)}, works {Readable.Hours(s.Measured?.Working.MedianHours)}",
            })]))
            .Table(["Stage", "Owner", "Tool", "Automated", "Required checks", "Typical waiting", "Typical working", "Changes"], stages.Select(s => (IReadOnlyList<string>)
            [
                Markdown.Text(s.Stage.Name ?? s.Stage.Id),
                s.Owner is { } owner ? Markdown.Link(context.TeamName(owner), $"../teams/{owner}.md") : Markdown.Text(OwnerText(s.Stage.Owner)),
                Markdown.Text(s.Stage.Tool ?? "any"), s.Stage.Automated ? "yes" : "no",
                Markdown.Text(s.Stage.Checks.Count == 0 ? "-" : string.Join(", ", s.Stage.Checks)),
                Hours(s.Measured?.Waiting.MedianHours), Hours(s.Measured?.Working.MedianHours), (s.Measured?.Changes ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ]));
    }

    private static void Fastest(Context context, Service service, FlowMetrics flow, Markdown page)
    {
        var model = context.Model;
        var waits = flow.Stages.Where(s => s.Waiting.MedianHours > 0).OrderByDescending(s => s.Waiting.MedianHours).Take(3).ToList();
        page.Line($"## Getting a change to production fastest").Blank();
        if (waits.Count == 0)
        {
            page.Line($"No change of {Markdown.Text(service.Id)} waited at a stage in the window.").Blank();
            return;
        }

        page.Line($"Where changes of {Markdown.Text(service.Id)} waited longest, and who to ask there:").Blank();
        foreach (var stage in waits)
        {
            var declared = model.Flow.First(f => f.Id == stage.Stage);
            var owner = model.ResolveStageOwner(declared, service.Id);
            page.Line($"1. {Markdown.Text(stage.Name ?? stage.Stage)}: {Hours(stage.Waiting.MedianHours)} waiting typically, {Hours(stage.Waiting.P90Hours)} for one change in ten. Ask {(owner is null ? "its owner (the model resolves none)" : WhoToAsk(context, owner, "../"))}.");
        }

        page.Blank();
        if (context.Diagnosis.WhatIf.Scenarios.FirstOrDefault() is { } top)
        {
            page.Line($"Across the organisation, the change to the flow with the largest predicted gain is **{Markdown.Text(top.Name)}**: a median lead time of {Hours(top.Prediction.MedianHours)} instead of {Hours(context.Diagnosis.WhatIf.Baseline?.MedianHours)} (the Diagnostics page has the replay behind it).")
                .Blank();
        }
    }

    private static void GoesWrong(Context context, Service service, Markdown page)
    {
        var health = context.Model.Health;
        var signals = new List<string>();
        if (health.Signals.Incidents)
        {
            signals.Add("an incident attributed to it");
        }

        if (health.Signals.Alerts)
        {
            signals.Add("an Alertmanager alert firing for it");
        }

        signals.Add(health.Signals.Checks.Count == 0 ? "a failed test suite run after it" : $"a failed run of {string.Join(", ", health.Signals.Checks)}");
        signals.AddRange((health.Signals.Metrics?.Rules ?? []).Select(r => $"metric rule {r.Id} ({r.Query} {r.FailIf})"));
        page.Line($"## When a release goes wrong").Blank()
            .Line($"- Verification: {(health.VerificationWindow is { } window ? $"every production deployment is watched for {Markdown.Text(Readable.Hours(window.TotalHours))}" : "the model sets no verification window, so a deployment is judged only by incidents attributed to it")}; an incident up to {Markdown.Text(Readable.Hours(health.AttributionWindow.TotalHours))} after it is attributed to it.")
            .Line($"- It fails on: {Markdown.Text(string.Join("; ", signals))}.");
        var owner = RollbackHolders.Owner(context.Model, service.Id);
        var rollback = health.Rollback;
        page.Line($"- Rollback: {(rollback?.Automatic == true ? "automatic, as soon as it fails" : "a person confirms it first")}; decided by {(owner is null ? "nobody the model names" : WhoToAsk(context, owner.Team, "../"))}; {(rollback?.Action is null ? "the model sets no rollback action, so the rollback is done in the deployment tool" : "Throughline then calls the rollback action")}.");
        var told = RollbackHolders.Notified(context.Model, service.Id);
        page.Line($"- Who is told: {(told.Count == 0 ? "nobody the model names" : string.Join("; ", told.Select(h => WhoToAsk(context, h.Team, "../"))))}.")
            .Blank();
    }

    private static void Incidents(Context context, Service service, Markdown page)
    {
        var incidents = context.Snapshot.Incidents.Where(i => i.Service == service.Id && i.DetectedAt >= context.Diagnosis.From && i.DetectedAt < context.Diagnosis.To)
            .OrderByDescending(i => i.DetectedAt).ToList();
        page.Line($"## Recent incidents").Blank();
        if (incidents.Count == 0)
        {
            page.Line($"No incident of {Markdown.Text(service.Id)} was detected in the window.").Blank();
            return;
        }

        page.Table(["Incident", "Detected", "Resolved", "Deployment"], incidents.Take(Rows).Select(i => (IReadOnlyList<string>)
        [
            Markdown.Text(i.Description is { } title ? $"{i.Id}: {title}" : i.Id), Markdown.Text(i.DetectedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
            Markdown.Text(i.ResolvedAt?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "open"), Markdown.Text(i.DeploymentId ?? "not attributed"),
        ]));
        if (incidents.Count > Rows)
        {
            page.Line($"And {incidents.Count - Rows} more in the window.").Blank();
        }

        var causes = context.Diagnosis.IncidentCauses.Groups.Where(g => g.Service == service.Id).ToList();
        page.Line($"Their causes, most costly first:").Blank();
        foreach (var cause in causes.Take(Rows))
        {
            page.Line($"- {Markdown.Text(cause.Cause)}, caused at {Markdown.Text(cause.Stage)}: {Markdown.Text(cause.Summary)}.");
        }

        page.Blank();
    }

    private static void Differences(Context context, Service service, Markdown page)
    {
        var drift = context.Diagnosis.Drift;
        var lines = new List<string>();
        lines.AddRange(drift.Skipped.Where(s => s.Service == service.Id)
            .Select(s => $"{s.Stage} was skipped by {s.Changes.Count} of {s.Delivered} delivered changes ({Readable.Percent(s.Share)}), for example {s.Changes[0]}"));
        lines.AddRange(drift.OtherTeamWork.Where(w => w.Service == service.Id).GroupBy(w => (w.Stage, w.ActorTeam, w.OwnerTeam))
            .Select(g => $"{g.Key.Stage} was done {g.Count()} times by {g.Key.ActorTeam} instead of {g.Key.OwnerTeam}{(drift.OutsideApprovals.Any(a => a.Stage == g.Key.Stage && a.Service == service.Id) ? ", an approval outside the approving responsibility" : "")}, for example {g.First().Change}"));
        lines.AddRange(context.Diagnosis.MissingChecks.Stages.Where(s => s.Service == service.Id && s.Changes.Count > 0)
            .Select(s => $"{s.Changes.Count} of {s.Delivered} delivered changes ({Readable.Percent(s.Share)}) went without {string.Join(" or ", s.Required)} at {s.Stage}"));
        page.Line($"## Where the model and reality differ").Blank();
        if (lines.Count == 0)
        {
            page.Line($"Nothing observed for {Markdown.Text(service.Id)} in the window departs from the model.").Blank();
            return;
        }

        foreach (var line in lines.Take(Rows))
        {
            page.Line($"- {Markdown.Text(line)}.");
        }

        page.Blank();
    }
}
