using System.Globalization;
using Throughline.Board;
using Throughline.Metrics;
using Throughline.Model;

namespace Throughline.Onboarding;

public static partial class OnboardingDocs
{
    private static DocPage TeamPage(Context context, Team team)
    {
        var model = context.Model;
        var name = team.Name ?? team.Id;
        var people = model.People.Where(p => p.Team == team.Id).ToList();
        var page = new Markdown()
            .Line($"# {Markdown.Text(name)}")
            .Blank()
            .Line($"{Markdown.Link("All services and teams", "../index.md")} · team `{team.Id}` · {Markdown.Text(TypeText(team))} · contact: {Markdown.Text(team.Contact ?? "none given")}")
            .Blank()
            .Line($"Written by Throughline from the operating model and what it observed from {context.Period}; change the model, not this page.")
            .Blank()
            .Line($"People: {(people.Count == 0 ? "none in the model" : string.Join(", ", people.Select(p => Markdown.Text($"{p.Id} ({string.Join(", ", p.Identities.Select(i => $"{i.Tool}:{i.Login}"))})"))))}.")
            .Blank();

        var owned = model.Services.Where(s => s.Owner == team.Id).ToList();
        page.Line($"## Services it owns").Blank();
        if (owned.Count == 0)
        {
            page.Line($"None.").Blank();
        }
        else
        {
            foreach (var service in owned)
            {
                page.Line($"- {Markdown.Link(service.Name ?? service.Id, $"../services/{service.Id}.md")}");
            }

            page.Blank();
        }

        var held = model.Services
            .SelectMany(s => model.Responsibilities.Keys.Union(s.Responsibilities.Keys, StringComparer.Ordinal)
                .Where(r => model.ResolveResponsibility(r, s.Id) == team.Id).Select(r => (Responsibility: r, Service: s.Id)))
            .GroupBy(h => h.Responsibility, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        page.Line($"## Responsibilities it holds").Blank();
        if (held.Count == 0)
        {
            page.Line($"None.").Blank();
        }
        else
        {
            page.Table(["Responsibility", "For"], held.Select(g => (IReadOnlyList<string>)
            [
                Markdown.Text(g.Key),
                g.Count() == model.Services.Count ? "every service" : string.Join(", ", g.Select(h => Markdown.Link(h.Service, $"../services/{h.Service}.md"))),
            ]));
        }

        var stages = model.Flow
            .Select(s => (Stage: s, Services: model.Services.Where(v => model.ResolveStageOwner(s, v.Id) == team.Id).Select(v => v.Id).ToList()))
            .Where(s => s.Services.Count > 0).ToList();
        page.Line($"## Stages it owns").Blank();
        if (stages.Count == 0)
        {
            page.Line($"None.").Blank();
        }
        else
        {
            page.Table(["Stage", "For", "Tool", "Automated"], stages.Select(s => (IReadOnlyList<string>)
            [
                Markdown.Text(s.Stage.Name ?? s.Stage.Id),
                s.Services.Count == model.Services.Count ? "every service" : string.Join(", ", s.Services.Select(v => Markdown.Link(v, $"../services/{v}.md"))),
                Markdown.Text(s.Stage.Tool ?? "any"), s.Stage.Automated ? "yes" : "no",
            ]));
        }

        Queue(context, team, page);
        Handoffs(context, team, page);
        return new DocPage($"teams/{team.Id}.md", name, page.ToString());
    }

    /// <summary>The changes the team holds now, per stage, as the board shows them with <c>?team=</c>.</summary>
    private static void Queue(Context context, Team team, Markdown page)
    {
        var board = ReleaseBoardBuilder.Build(context.Snapshot, context.Model, context.Now, team.Id);
        var cards = board.Services.SelectMany(s => s.InFlight).Where(c => c.Team == team.Id).ToList();
        page.Line($"## Its queue now").Blank();
        if (cards.Count == 0)
        {
            page.Line($"It holds no change in flight at {context.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.").Blank();
            return;
        }

        page.Line($"{cards.Count} changes in flight at {context.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, {cards.Count(c => c.Overdue)} of them there longer than usual:").Blank()
            .Table(["Stage", "Changes", "Longer than usual", "Longest there"], cards.GroupBy(c => c.StageName ?? c.Stage ?? "not on the flow").Select(g => (IReadOnlyList<string>)
            [
                Markdown.Text(g.Key), g.Count().ToString(CultureInfo.InvariantCulture), g.Count(c => c.Overdue).ToString(CultureInfo.InvariantCulture),
                Markdown.Text(g.MaxBy(c => c.WaitedHours ?? 0) is { } oldest ? $"{oldest.ChangeId}, {Readable.Hours(oldest.WaitedHours)}" : "-"),
            ]));
    }

    /// <summary>The work handed to the team or by it in the window, as the value stream shows with <c>?team=</c>.</summary>
    private static void Handoffs(Context context, Team team, Markdown page)
    {
        var handoffs = FlowCalculator.Compute(context.Snapshot, context.Model, context.Window(team: team.Id)).Handoffs;
        page.Line($"## Its handoffs with other teams").Blank();
        if (handoffs.Count == 0)
        {
            page.Line($"No work was handed to it or by it in the window.").Blank();
            return;
        }

        page.Table(["From", "To", "At", "Times", "Typical waiting"], handoffs.Select(h => (IReadOnlyList<string>)
        [
            Markdown.Link(context.TeamName(h.FromTeam), $"{h.FromTeam}.md"), Markdown.Link(context.TeamName(h.ToTeam), $"{h.ToTeam}.md"),
            Markdown.Text(h.Stage), h.Handoffs.ToString(CultureInfo.InvariantCulture), Hours(h.Waiting.MedianHours),
        ]));
    }
}
