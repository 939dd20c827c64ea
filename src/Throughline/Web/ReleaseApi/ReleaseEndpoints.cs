using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Throughline.Health;
using Throughline.Model;
using Throughline.Timeline;
using Throughline.Web.Auth;
using Throughline.Web.Projection;

namespace Throughline.Web.ReleaseApi;

/// <summary>Release health over HTTP: a deployment's verdict with its evidence, a health answer release tools can gate on, and
/// the rollback confirmation.</summary>
internal static class ReleaseEndpoints
{
    public sealed record Evidence(long Sequence, string Link);

    public sealed record SignalItem(string Kind, DateTimeOffset At, bool Failing, string Summary, string? Ref, Evidence? Evidence);

    public sealed record RuleItem(string Rule, string State, DateTimeOffset At, string Reason, int Measurements, IReadOnlyList<Evidence> Evidence);

    public sealed record ActionItem(string Kind, DateTimeOffset At, string? Actor, string? Outcome, string Detail, Evidence Evidence);

    public sealed record VerdictItem(
        string State, DateTimeOffset Since, string Reason, DateTimeOffset? WindowEnd, DateTimeOffset? FailedAt, bool Frozen,
        IReadOnlyList<VerdictStep> Steps, IReadOnlyList<SignalItem> Signals, IReadOnlyList<RuleItem> Rules, IReadOnlyList<ActionItem> Actions);

    public sealed record ChangeItem(string Id, string? Title, bool RodeAlong, string Link);

    public sealed record RollbackItem(bool Automatic, bool ActionConfigured, Holder? Owner, IReadOnlyList<Holder> Notified, string? Pending);

    public sealed record DeploymentDetail(
        string Id, string Source, string Service, string Environment, bool Production, DateTimeOffset At, string? ArtifactId, bool IsRollback,
        VerdictItem? Verdict, IReadOnlyList<ChangeItem> Changes, IReadOnlyList<IncidentRecord> Incidents, RollbackItem? Rollback, string Page);

    public sealed record HealthAnswer(
        string Service, string Environment, string? Artifact, string? DeploymentId, string? DeploymentSource, DateTimeOffset? DeployedAt,
        string Verdict, bool Healthy, bool Failed, bool Final, DateTimeOffset? Since, string Reason, string? Page);

    public sealed record RollbackRequest(string? Service, string? Environment, string? To, string? Deployment, string? Source);

    public sealed record RollbackAnswer(string Outcome, string Detail, DeploymentDetail Deployment);

    public static void MapReleaseEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/deployments/{**id}", Find)
            .WithName("GetDeployment")
            .WithSummary("One deployment: its verdict (state, every step with its reason), the signals with evidence, metric rules, the changes it delivered, and the actions taken.")
            .Produces<DeploymentDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .DerivedFromTimeline();
        app.MapMethods("/api/health", ["GET", "POST"], Health)
            .WithName("ReleaseHealth")
            .WithSummary("The verdict of a service's latest production deployment (or of one artifact's), for release tools: Argo Rollouts' web metric provider, a Flagger webhook gate. With expect=, 412 unless the verdict is one of those given.")
            .Produces<HealthAnswer>()
            .Produces<HealthAnswer>(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .DerivedFromTimeline();
        app.MapPost("/api/rollbacks", RequestAsync)
            .WithName("ConfirmRollback")
            .WithSummary("Confirms the rollback of a service's failed production deployment; Throughline then calls the model's rollback action. Editors may confirm only for services whose rollback their team holds.")
            .Produces<RollbackAnswer>(StatusCodes.Status202Accepted)
            .Produces<RollbackAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(RoleRequirement.Edit.Name)
            .DerivedFromTimeline();
        app.MapPost("/deployments/rollback", ConfirmFromPageAsync)
            .RequireAuthorization(RoleRequirement.Edit.Name)
            .DisableAntiforgery()
            .ExcludeFromDescription()
            .DerivedFromTimeline(WhileLoading.Page);
    }

    /// <summary>The deployment page's "Confirm the rollback" button: the same desk as the API, answered with the page.</summary>
    private static async Task<IResult> ConfirmFromPageAsync(HttpContext context, IAntiforgery antiforgery, RollbackDesk desk, TimelineProjection projection, TimeProvider time)
    {
        if (!await SignInEndpoints.IsOwnFormAsync(context, antiforgery))
        {
            return TypedResults.Problem("The form had expired or came from another site; open the deployment page again.", statusCode: StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var (service, deploymentId, source) = (form["service"].ToString(), form["deployment"].ToString(), form["source"].ToString());
        var outcome = await desk.RequestAsync(context, service, form["environment"].ToString(), deploymentId, source, null, context.RequestAborted);
        if (Releases.Find(projection.Current, deploymentId, source) is not { } deployment)
        {
            return Problems.NotFound("deployment", deploymentId);
        }

        var note = outcome.Answer is { } answer ? $"Rollback {answer.Outcome}: {answer.Detail}." : RefusalText(outcome.Problem);
        return Pages.PageEndpoints.DeploymentPageOf(projection, deployment, time.GetUtcNow(), note,
            outcome.Problem is null ? StatusCodes.Status200OK : outcome.Problem is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status409Conflict);
    }

    private static string RefusalText(IResult? problem) =>
        problem is ProblemHttpResult { ProblemDetails: { } details } ? $"Not rolled back: {details.Detail}" : "Not rolled back.";

    private static IResult Find(TimelineProjection projection, TimeProvider time, string id, string? source)
    {
        var deploymentId = Uri.UnescapeDataString(id);
        return Releases.Find(projection.Current, deploymentId, source) is { } deployment
            ? TypedResults.Ok(Detail(projection, deployment, time.GetUtcNow(), null))
            : Problems.NotFound("deployment", deploymentId);
    }

    private static IResult Health(TimelineProjection projection, TimeProvider time, string? service, string? environment, string? artifact, string? expect)
    {
        if (string.IsNullOrWhiteSpace(service))
        {
            return Problems.BadQuery("service", "give the service (?service=checkout)");
        }

        var model = projection.Model;
        var env = string.IsNullOrWhiteSpace(environment) ? Releases.DefaultProduction(model) : environment;
        if (env is null)
        {
            return Problems.BadQuery("environment", "give the environment (?environment=production): the model names no production environment");
        }

        var expected = expect?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (expected.FirstOrDefault(e => !VerdictStates.Order.Contains(e)) is { } unknown)
        {
            return Problems.BadQuery("expect", $"'{unknown}' is not a verdict; expected one or more of {string.Join(", ", VerdictStates.Order)}");
        }

        var now = time.GetUtcNow();
        var serviceId = OperatingModel.ServiceIdFor(model, service);
        var deployment = projection.Current.Deployments
            .Where(d => d.Service == serviceId && d.Environment == env && d.Production && !d.IsRollback && (artifact is null || d.ArtifactId == artifact))
            .LastOrDefault();
        if (deployment is null)
        {
            return Problems.NotFound("production deployment", artifact is null ? $"{serviceId} in {env}" : $"{artifact} of {serviceId} in {env}");
        }

        var verdict = Releases.VerdictOf(projection.Current, deployment, model, now)!;
        var answer = new HealthAnswer(
            serviceId, env, deployment.ArtifactId, deployment.Id, deployment.Source, deployment.At, verdict.State,
            verdict.State == VerdictStates.Healthy, verdict.FailedAt is not null,
            verdict.State is not (VerdictStates.Verifying or VerdictStates.Failed or VerdictStates.RollingBack),
            verdict.Since, verdict.Reason, Releases.PageOf(deployment));
        return expected.Length > 0 && !expected.Contains(verdict.State)
            ? TypedResults.Json(answer, statusCode: StatusCodes.Status412PreconditionFailed)
            : TypedResults.Ok(answer);
    }

    private static async Task<IResult> RequestAsync(HttpContext context, RollbackRequest? request, RollbackDesk desk, CancellationToken cancellationToken)
    {
        if (request?.Service is not { Length: > 0 } service)
        {
            return Problems.BadQuery("service", "the body names no service (expected {\"service\": \"checkout\", \"environment\": \"production\"})");
        }

        var outcome = await desk.RequestAsync(context, service, request.Environment, request.Deployment, request.Source, request.To, cancellationToken);
        return outcome.Problem ?? (outcome.Created
            ? TypedResults.Json(outcome.Answer, statusCode: StatusCodes.Status202Accepted)
            : TypedResults.Ok(outcome.Answer));
    }

    /// <summary>The API's view of a deployment, with what <paramref name="caller"/> may do about it.</summary>
    public static DeploymentDetail Detail(TimelineProjection projection, Deployment deployment, DateTimeOffset now, Caller? caller)
    {
        var snapshot = projection.Current;
        var model = projection.Model;
        var verdict = Releases.VerdictOf(snapshot, deployment, model, now);
        var incidents = snapshot.Incidents.Where(i => i.DeploymentKey == deployment.Key).ToList();
        var changes = deployment.Delivered
            .Select(c => (Id: c, Change: snapshot.Changes.GetValueOrDefault(c)))
            .Select(c => new ChangeItem(c.Id, c.Change?.Title, c.Change?.Deliveries.FirstOrDefault(d => d.DeploymentKey == deployment.Key)?.RodeAlong ?? false,
                "/changes/" + Uri.EscapeDataString(c.Id)))
            .ToList();
        RollbackItem? rollback = null;
        if (model is not null && deployment.Production && !deployment.IsRollback)
        {
            var settings = model.Health.Rollback;
            rollback = new RollbackItem(settings?.Automatic ?? false, settings?.Action is not null,
                RollbackHolders.Owner(model, deployment.Service), RollbackHolders.Notified(model, deployment.Service), verdict is null ? null : Releases.Pending(verdict, model));
        }

        return new DeploymentDetail(
            deployment.Id, deployment.Source, deployment.Service, deployment.Environment, deployment.Production, deployment.At, deployment.ArtifactId,
            deployment.IsRollback, verdict is null ? null : Item(verdict), changes, incidents, rollback, Releases.PageOf(deployment));
    }

    private static VerdictItem Item(Verdict verdict) => new(
        verdict.State, verdict.Since, verdict.Reason, verdict.WindowEnd, verdict.FailedAt, verdict.Frozen, verdict.Steps,
        [.. verdict.Signals.Select(s => new SignalItem(s.Kind, s.At, s.Failing, s.Summary, s.Ref, s.Sequence is { } n ? EvidenceOf(n) : null))],
        [.. verdict.Rules.Select(r => new RuleItem(r.Rule, RuleResults.Name(r.Outcome), r.At, r.Reason, r.Measurements.Count, [.. r.Evidence.Select(EvidenceOf)]))],
        [.. verdict.Actions.Select(a => new ActionItem(a.Kind, a.At, a.Actor, a.Outcome, a.Detail, EvidenceOf(a.Sequence)))]);

    private static Evidence EvidenceOf(long sequence) => new(sequence, $"/api/events/{sequence}");
}
