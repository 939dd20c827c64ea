using System.Globalization;
using Throughline.Diagnostics;
using Throughline.Health;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Onboarding;

/// <summary>
/// "How code moves to production here": Markdown pages written from the operating model and what was observed over the diagnosis'
/// window (the last 30 days by default): an index, one page per service and one per team (docs/onboarding.md).
/// </summary>
/// <remarks>
/// Every observed figure is one the other pages show for the same window: stage times are <see cref="FlowCalculator.Compute"/>'s (the
/// value stream), drift, missing checks and incident causes the <see cref="Diagnosis"/>'s, who holds what the model's resolution
/// (<see cref="OperatingModel.ResolveOwner"/>, <see cref="RollbackHolders"/>). Nothing is computed here that another page does not show.
/// </remarks>
public static partial class OnboardingDocs
{
    /// <summary>The pages: the index first, then the services and the teams in the model's order.</summary>
    /// <param name="snapshot">The timeline.</param>
    /// <param name="model">The operating model.</param>
    /// <param name="diagnosis">The diagnostics of the window, organisation-wide: its window is the pages' window.</param>
    /// <param name="now">When the pages are written: the board's time for a team's queue (to the minute).</param>
    /// <param name="service">Only this service's page (and the index); null for every service.</param>
    /// <param name="team">Only this team's page (and the index); null for every team.</param>
    public static IReadOnlyList<DocPage> Write(
        TimelineSnapshot snapshot, OperatingModel model, Diagnosis diagnosis, DateTimeOffset now, string? service = null, string? team = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(diagnosis);

        // Kept with the snapshot for the minute: a page asked again (the next link followed) is not written again.
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        return snapshot.Derived.GetOrAdd(new PagesKey(model, diagnosis, minute, service, team), () =>
        {
            var every = service is null && team is null;
            var context = new Context(snapshot, model, diagnosis, minute);
            List<DocPage> pages = [Index(context)];
            pages.AddRange(model.Services.Where(s => every || s.Id == service).Select(s => ServicePage(context, s)));
            pages.AddRange(model.Teams.Where(t => every || t.Id == team).Select(t => TeamPage(context, t)));
            return (IReadOnlyList<DocPage>)pages;
        });
    }

    /// <summary>The pages of one model, diagnosis (by reference: a new one is a new answer), minute and selection.</summary>
    private sealed record PagesKey(OperatingModel Model, Diagnosis Diagnosis, DateTimeOffset Minute, string? Service, string? Team) : DerivedKey<IReadOnlyList<DocPage>>
    {
        public bool Equals(PagesKey? other) =>
            other is not null && ReferenceEquals(Model, other.Model) && ReferenceEquals(Diagnosis, other.Diagnosis) && Minute == other.Minute
            && Service == other.Service && Team == other.Team;

        public override int GetHashCode() => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Diagnosis), Minute, Service, Team);
    }

    /// <summary>What every page reads: the inputs, and the window as a query for the figures the value stream shows.</summary>
    private sealed record Context(TimelineSnapshot Snapshot, OperatingModel Model, Diagnosis Diagnosis, DateTimeOffset Now)
    {
        public MetricsQuery Window(string? service = null, string? team = null) => new(Diagnosis.From, Diagnosis.To, service, team);

        public string Period => string.Create(CultureInfo.InvariantCulture, $"{Diagnosis.From:yyyy-MM-dd HH:mm} to {Diagnosis.To:yyyy-MM-dd HH:mm} UTC");

        public string TeamName(string teamId) => Model.Teams.FirstOrDefault(t => t.Id == teamId)?.Name ?? teamId;
    }

    private static DocPage Index(Context context)
    {
        var model = context.Model;
        var title = $"How code moves to production at {model.Organization}";
        var page = new Markdown()
            .Line($"# {Markdown.Text(title)}")
            .Blank()
            .Line($"Written by Throughline from the operating model and what it observed from {context.Period}. It is written again from them, so it is never out of date: change the model, not this page.")
            .Blank()
            .Line($"## The flow")
            .Blank()
            .Line($"Every change goes through these stages, in this order; each service's page has the times its changes took.")
            .Blank()
            .Mermaid(Flowchart(model, model.Flow.Select(s => new[] { s.Name ?? s.Id, $"{OwnerText(s.Owner)} · {(s.Automated ? "automated" : "manual")}" }).ToList()))
            .Line($"## Services")
            .Blank()
            .Table(["Service", "Owner", "Repositories"], model.Services.Select(s => (IReadOnlyList<string>)
            [
                Markdown.Link(s.Name ?? s.Id, $"services/{s.Id}.md"), Markdown.Link(context.TeamName(s.Owner), $"teams/{s.Owner}.md"),
                Markdown.Text(s.Repositories.Count == 0 ? "none declared" : string.Join(", ", s.Repositories)),
            ]))
            .Line($"## Teams")
            .Blank()
            .Table(["Team", "Type", "Contact", "Services it owns"], model.Teams.Select(t => (IReadOnlyList<string>)
            [
                Markdown.Link(t.Name ?? t.Id, $"teams/{t.Id}.md"), Markdown.Text(TypeText(t)), Markdown.Text(t.Contact ?? "-"),
                Markdown.Text(string.Join(", ", model.Services.Where(s => s.Owner == t.Id).Select(s => s.Id).DefaultIfEmpty("none"))),
            ]));
        return new DocPage("index.md", title, page.ToString());
    }

    /// <summary>A left-to-right flowchart of the flow's stages, one node per stage with the lines given for it.</summary>
    private static List<string> Flowchart(OperatingModel model, IReadOnlyList<string[]> labels)
    {
        List<string> lines = ["flowchart LR"];
        for (var i = 0; i < model.Flow.Count; i++)
        {
            lines.Add($"  s{i}[{Markdown.Label(labels[i])}]");
            if (i > 0)
            {
                lines.Add($"  s{i - 1} --> s{i}");
            }
        }

        return lines;
    }

    /// <summary>A stage owner as people read it: the team id, "the service's owner", or the responsibility's name.</summary>
    private static string OwnerText(StageOwner owner) => owner.Kind switch
    {
        StageOwnerKind.ServiceOwner => "the service's owner",
        StageOwnerKind.Responsibility => owner.Name,
        _ => owner.Name,
    };

    /// <summary>A team with its contact and people (with their identities when <paramref name="contacts"/>), for "who to ask".</summary>
    private static string WhoToAsk(Context context, string teamId, string fromFolder, bool contacts = false)
    {
        var holder = RollbackHolders.HolderOf(context.Model, teamId, teamId);
        var people = holder.People.Count == 0 ? "no people in the model"
            : string.Join(", ", holder.People.Select(p => Markdown.Text(contacts && p.Contacts.Count > 0 ? $"{p.Id} ({string.Join(", ", p.Contacts)})" : p.Id)));
        return $"{Markdown.Link(holder.TeamName, $"{fromFolder}teams/{teamId}.md")}{(holder.Contact is { } contact ? $" ({Markdown.Text(contact)})" : "")}: {people}";
    }

    private static string Hours(double? hours) => Markdown.Text(Readable.Hours(hours));

    /// <summary>A team's type as the model writes it (<c>stream-aligned</c>), or "-".</summary>
    private static string TypeText(Team team) => team.Type is { } type ? System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(type.ToString()) : "-";
}
