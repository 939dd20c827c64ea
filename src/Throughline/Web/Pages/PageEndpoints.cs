using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;
using Throughline.Timeline;
using Throughline.Board;
using Throughline.Health;
using Throughline.Web.Projection;
using Throughline.Web.ReleaseApi;

namespace Throughline.Web.Pages;

/// <summary>The server-rendered pages and their assets (embedded in the executable, served under /assets).</summary>
internal static class PageEndpoints
{
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddRazorComponents();
        return services;
    }

    private const string CacheControl = "public, max-age=3600";

    private static readonly ManifestEmbeddedFileProvider Assets = new(typeof(PageEndpoints).Assembly, "wwwroot");

    /// <summary>Styles, scripts and icons under /assets: open to everyone (they hold no data), served before access control.</summary>
    public static void UsePageAssets(this WebApplication app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Assets,
            RequestPath = "/assets",
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = CacheControl,
        });

    public static void MapPages(this WebApplication app)
    {
        // Browsers and crawlers ask for /favicon.ico whatever the page links; a 404 there is a console error in Chromium.
        app.MapGet("/favicon.ico", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = CacheControl;
            return Results.Stream(Assets.GetFileInfo("favicon.ico").CreateReadStream(), "image/x-icon");
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/", Board).ExcludeFromDescription().DerivedFromTimeline(WhileLoading.Page);
        app.MapGet("/board-fragment", BoardFragment).ExcludeFromDescription().DerivedFromTimeline(WhileLoading.Page);
        app.MapGet("/changes/{**id}", Change).ExcludeFromDescription().DerivedFromTimeline(WhileLoading.Page);
        app.MapGet("/deployments/{**id}", Deployment).ExcludeFromDescription().DerivedFromTimeline(WhileLoading.Page);
    }

    /// <summary>One deployment by its event id; <paramref name="source"/> tells apart two sources that reuse an id.</summary>
    private static IResult Deployment(TimelineProjection projection, TimeProvider time, string id, string? source)
    {
        var deploymentId = Uri.UnescapeDataString(id);
        var snapshot = projection.Current;
        var deployment = snapshot.Deployments.FirstOrDefault(d => d.Id == deploymentId && (Display.Blank(source) is null || d.Source == source));
        if (deployment is null)
        {
            return new RazorComponentResult<NotFoundPage>(new Dictionary<string, object?> { [nameof(NotFoundPage.What)] = $"deployment {deploymentId}" }) { StatusCode = StatusCodes.Status404NotFound };
        }

        return DeploymentPageOf(projection, deployment, time.GetUtcNow(), null, StatusCodes.Status200OK);
    }

    /// <summary>The deployment page, with <paramref name="note"/> saying what became of a confirmation just posted.</summary>
    public static IResult DeploymentPageOf(TimelineProjection projection, Deployment deployment, DateTimeOffset now, string? note, int status)
    {
        var snapshot = projection.Current;
        var incidents = snapshot.Incidents.Where(i => i.DeploymentKey == deployment.Key).ToList();
        var verification = projection.Model?.Health.VerificationWindow;
        var verdict = Releases.VerdictOf(snapshot, deployment, projection.Model, now);
        return new RazorComponentResult<DeploymentPage>(new Dictionary<string, object?>
        {
            [nameof(DeploymentPage.Deployment)] = deployment,
            [nameof(DeploymentPage.Changes)] = (IReadOnlyList<ChangeTimeline>)[.. deployment.Delivered.Select(c => snapshot.Changes.GetValueOrDefault(c)).OfType<ChangeTimeline>()],
            [nameof(DeploymentPage.Incidents)] = (IReadOnlyList<IncidentRecord>)incidents,
            [nameof(DeploymentPage.Health)] = ReleaseBoardBuilder.Health(deployment, incidents.Any(i => i.ResolvedAt is null), verdict),
            [nameof(DeploymentPage.VerificationWindow)] = verification,
            [nameof(DeploymentPage.Organization)] = projection.Model?.Organization,
            [nameof(DeploymentPage.Verdict)] = verdict,
            [nameof(DeploymentPage.Pending)] = verdict is null ? null : Releases.Pending(verdict, projection.Model),
            [nameof(DeploymentPage.RollbackOwner)] = projection.Model is { } model ? RollbackHolders.Owner(model, deployment.Service) : null,
            [nameof(DeploymentPage.ActionConfigured)] = projection.Model?.Health.Rollback?.Action is not null,
            [nameof(DeploymentPage.Note)] = note,
        })
        { StatusCode = status };
    }

    private static RazorComponentResult<BoardPage> Board(TimelineProjection projection, TimeProvider time, string? team, string? service, string? stage)
    {
        var (board, columns) = BoardData(projection, time, team, service, stage);
        var model = projection.Model;
        return new RazorComponentResult<BoardPage>(new Dictionary<string, object?>
        {
            [nameof(BoardPage.Board)] = board,
            [nameof(BoardPage.Columns)] = columns,
            [nameof(BoardPage.Teams)] = (IReadOnlyList<string>)[.. model?.Teams.Select(t => t.Id) ?? []],
            [nameof(BoardPage.Services)] = (IReadOnlyList<string>)[.. model?.Services.Select(s => s.Id) ?? board.Services.Select(s => s.Service)],
            [nameof(BoardPage.Team)] = Display.Blank(team),
            [nameof(BoardPage.Service)] = Display.Blank(service),
            [nameof(BoardPage.Stage)] = Display.Blank(stage),
            [nameof(BoardPage.Organization)] = model?.Organization,
        });
    }

    private static RazorComponentResult<BoardView> BoardFragment(TimelineProjection projection, TimeProvider time, string? team, string? service, string? stage)
    {
        var (board, columns) = BoardData(projection, time, team, service, stage);
        return new RazorComponentResult<BoardView>(new Dictionary<string, object?>
        {
            [nameof(BoardView.Board)] = board,
            [nameof(BoardView.Columns)] = columns,
            [nameof(BoardView.AllCards)] = Display.Blank(stage) is not null,
            [nameof(BoardView.Team)] = Display.Blank(team),
        });
    }

    /// <summary>The board and its columns; with a stage, that stage's column alone, every card shown (the full list behind "+N more").</summary>
    private static (ReleaseBoard Board, IReadOnlyList<(string Stage, string Name)> Columns) BoardData(
        TimelineProjection projection, TimeProvider time, string? team, string? service, string? stage)
    {
        var board = ReleaseBoardBuilder.Build(projection.Current, projection.Model, time.GetUtcNow(), Display.Blank(team), Display.Blank(service));
        List<(string Stage, string Name)> columns = [.. (projection.Model?.Flow ?? []).Select(s => (s.Id, s.Name ?? s.Id))];
        if (board.Services.Any(s => s.InFlight.Any(c => c.Stage is null)))
        {
            columns.Insert(0, ("", "Not on the flow"));
        }

        return Display.Blank(stage) is { } only ? (board, [.. columns.Where(c => c.Stage == only)]) : (board, columns);
    }

    private static async Task<IResult> Change(TimelineProjection projection, TimeProvider time, string id, CancellationToken cancellationToken)
    {
        var changeId = Uri.UnescapeDataString(id);
        var snapshot = projection.Current;
        if (!snapshot.Changes.TryGetValue(changeId, out var change))
        {
            return new RazorComponentResult<NotFoundPage>(new Dictionary<string, object?> { [nameof(NotFoundPage.What)] = $"change {changeId}" }) { StatusCode = StatusCodes.Status404NotFound };
        }

        var deployments = change.Deliveries.Select(d => d.DeploymentKey).ToHashSet();
        return new RazorComponentResult<ChangePage>(new Dictionary<string, object?>
        {
            [nameof(ChangePage.Change)] = change,
            [nameof(ChangePage.Events)] = await projection.EventsOfAsync(change, cancellationToken),
            [nameof(ChangePage.Incidents)] = (IReadOnlyList<IncidentRecord>)[.. snapshot.Incidents.Where(i => i.DeploymentKey is { } key && deployments.Contains(key))],
            [nameof(ChangePage.Now)] = time.GetUtcNow(),
            [nameof(ChangePage.Organization)] = projection.Model?.Organization,
        });
    }
}
