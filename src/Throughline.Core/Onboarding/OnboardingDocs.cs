using System.Text;
using Throughline.Diagnostics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Onboarding;

/// <summary>
/// "How code moves to production here": Markdown pages written from the operating model and what was observed in the last 30 days,
/// an index, one page per service and one per team (docs/onboarding.md).
/// </summary>
public static class OnboardingDocs
{
    /// <summary>How far back "observed" looks.</summary>
    public static readonly TimeSpan Observed = TimeSpan.FromDays(30);

    /// <summary>The pages, the index first, then the services and the teams in the model's order.</summary>
    /// <param name="snapshot">The timeline.</param>
    /// <param name="model">The operating model.</param>
    /// <param name="diagnosis">The diagnostics of the last 30 days (organisation-wide): drift and incident causes per service.</param>
    /// <param name="now">The end of the 30 days.</param>
    /// <param name="service">Only this service's page (and the index); null for every service.</param>
    /// <param name="team">Only this team's page (and the index); null for every team.</param>
    public static IReadOnlyList<DocPage> Write(
        TimelineSnapshot snapshot, OperatingModel model, Diagnosis diagnosis, DateTimeOffset now, string? service = null, string? team = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(diagnosis);
        var pages = new List<DocPage>();
        var services = model.Services.Where(s => service is null && team is null || s.Id == service).ToList();
        var teams = model.Teams.Where(t => service is null && team is null || t.Id == team).ToList();
        var index = new StringBuilder();
        index.Append("# How code moves to production at ").Append(model.Organization).Append("\n\n");
        index.Append("## Services\n\n");
        foreach (var s in services)
        {
            index.Append("- [").Append(s.Name ?? s.Id).Append("](services/").Append(s.Id).Append(".md)\n");
        }

        index.Append("\n## Teams\n\n");
        foreach (var t in teams)
        {
            index.Append("- [").Append(t.Name ?? t.Id).Append("](teams/").Append(t.Id).Append(".md)\n");
        }

        pages.Add(new DocPage("index.md", $"How code moves to production at {model.Organization}", index.ToString()));
        foreach (var s in services)
        {
            var text = new StringBuilder();
            text.Append("# ").Append(s.Name ?? s.Id).Append("\n\n[All services and teams](../index.md)\n\n```mermaid\nflowchart LR\n");
            for (var i = 0; i < model.Flow.Count; i++)
            {
                text.Append("  s").Append(i).Append("[\"").Append(model.Flow[i].Name ?? model.Flow[i].Id).Append("\"]\n");
                if (i > 0)
                {
                    text.Append("  s").Append(i - 1).Append(" --> s").Append(i).Append('\n');
                }
            }

            text.Append("```\n");
            pages.Add(new DocPage($"services/{s.Id}.md", s.Name ?? s.Id, text.ToString()));
        }

        foreach (var t in teams)
        {
            pages.Add(new DocPage($"teams/{t.Id}.md", t.Name ?? t.Id, $"# {t.Name ?? t.Id}\n\n[All services and teams](../index.md)\n"));
        }

        return pages;
    }
}
