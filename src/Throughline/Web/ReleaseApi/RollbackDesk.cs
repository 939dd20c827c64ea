using Throughline.Access;
using Throughline.Health;
using Throughline.Storage;
using Throughline.Timeline;
using Throughline.Web.Auth;

namespace Throughline.Web.ReleaseApi;

/// <summary>What became of a rollback confirmation: a problem to answer, or the deployment with whether the request is new.</summary>
/// <param name="Problem">The refusal, or null.</param>
/// <param name="Created">True when this confirmation asked for the rollback; false when it had been asked for already.</param>
/// <param name="Answer">The answer when there is no problem.</param>
internal sealed record RollbackOutcome(IResult? Problem, bool Created, ReleaseEndpoints.RollbackAnswer? Answer);

/// <summary>
/// Takes a person's confirmation of a rollback (from the API, the deployment page or <c>throughline rollback</c>): checks that the
/// deployment failed and that the caller may act for the service, stores the request as a release-health event, audits it and
/// wakes the watcher, which calls the rollback action.
/// </summary>
internal sealed class RollbackDesk(TimelineProjection projection, IEventStore store, AuditTrail audit, ReleaseWatcher watcher, TimeProvider time)
{
    public async Task<RollbackOutcome> RequestAsync(
        HttpContext context, string service, string? environment, string? deploymentId, string? source, string? to, CancellationToken cancellationToken)
    {
        var model = projection.Model;
        var caller = Caller.Of(context.User);
        var what = $"rollback of {service}";
        if (model?.Health.Rollback is null)
        {
            return Refuse(StatusCodes.Status409Conflict, "No rollback policy", "the model has no health.rollback section: add one (owner, notify, action) to roll back through Throughline");
        }

        var serviceId = Model.OperatingModel.ServiceIdFor(model, service);
        if (model.FindService(serviceId) is null)
        {
            return Refuse(StatusCodes.Status404NotFound, "No such service",
                $"the model has no service '{service}' (its services: {string.Join(", ", model.Services.Select(s => s.Id))})");
        }

        var env = string.IsNullOrWhiteSpace(environment) ? Releases.DefaultProduction(model) : environment;
        var snapshot = projection.Current;
        var deployment = deploymentId is not null
            ? Releases.Find(snapshot, deploymentId, source)
            : snapshot.Deployments.LastOrDefault(d => d.Service == serviceId && d.Environment == env && d.Production && !d.IsRollback);
        if (deployment is null || deployment.Service != serviceId || !deployment.Production || deployment.IsRollback)
        {
            return new RollbackOutcome(Problems.NotFound("production deployment", deploymentId ?? $"{serviceId} in {env}"), false, null);
        }

        var personId = caller.Person ?? (model.People.Any(p => p.Id == caller.Name) ? caller.Name : null);
        if (caller.Role != Role.Admin && !RollbackHolders.MayConfirm(model, serviceId, personId))
        {
            var owner = RollbackHolders.Owner(model, serviceId);
            var reason = $"{caller.Actor} does not hold the rollback of {serviceId} (held by {owner?.TeamName ?? "no team"}); " +
                "sign in as one of its people, or use a token named after one of them";
            await audit.RefusedAsync(context, caller.Actor, reason);
            return Refuse(StatusCodes.Status403Forbidden, "Not yours to roll back", reason);
        }

        var now = time.GetUtcNow();
        var verdict = Releases.VerdictOf(snapshot, deployment, model, now)!;
        if (verdict.State == VerdictStates.RollingBack)
        {
            return new RollbackOutcome(null, false, Answer(context, deployment, "already requested", Releases.Pending(verdict, model) ?? verdict.Reason));
        }

        if (verdict.State != VerdictStates.Failed)
        {
            return Refuse(StatusCodes.Status409Conflict, "Not failed",
                $"deployment {deployment.Id} of {serviceId} is {verdict.State} ({verdict.Reason}); only a failed deployment is rolled back through Throughline");
        }

        var actor = personId ?? caller.Name;
        var detail = $"{actor} confirmed the rollback{(to is null ? "" : $" to {to}")}";
        await store.AppendAsync([HealthEventDrafts.RollbackRequested(deployment, actor, to, now, detail)], now, cancellationToken);
        await audit.RecordAsync(caller.Actor, "rollback.requested", $"{what} {deployment.Id}{(to is null ? "" : $" to {to}")}", Caller.From(context), AuditActions.Done, cancellationToken);
        watcher.Poke();
        return new RollbackOutcome(null, true, Answer(context, deployment, "requested", detail));
    }

    private ReleaseEndpoints.RollbackAnswer Answer(HttpContext context, Deployment deployment, string outcome, string detail) =>
        new(outcome, detail, ReleaseEndpoints.Detail(projection, deployment, time.GetUtcNow(), Caller.Of(context.User)));

    private static RollbackOutcome Refuse(int status, string title, string detail) =>
        new(TypedResults.Problem(detail, statusCode: status, title: title), false, null);
}
