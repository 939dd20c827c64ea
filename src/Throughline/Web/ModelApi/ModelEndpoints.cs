using System.Text;
using Throughline.Access;
using Throughline.Intake;
using Throughline.Model;
using Throughline.Web.Auth;
using Throughline.Web.Events;
using Throughline.Web.ModelReload;

namespace Throughline.Web.ModelApi;

internal static class ModelEndpoints
{
    public static void MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/model", Get)
            .WithName("GetModel")
            .WithSummary("The operating model in force, shaped like the file, with the warnings it was loaded with. Secrets show only the variable they come from and whether it is set.")
            .Produces<ModelDocument>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPut("/api/model", PutAsync)
            .RequireAuthorization(RoleRequirement.Edit.Name)
            .WithName("PutModel")
            .WithSummary("Loads a new operating model (the YAML as the body), validated as at start-up, without a restart.")
            .WithDescription("The timeline is derived again under the new model in the background while the previous one keeps answering, " +
                "then both are swapped in one step; the answer comes after the swap. A model that does not validate is refused with its " +
                "errors (422) and the running one stays. Sending the model in force again changes nothing. Needs an editor or admin " +
                "token; each reload is in the audit log, and the version's origin names the token. A model that changes where a tool's " +
                "secret or token comes from (or the rollback action's webhook) needs an admin: 403 for an editor.")
            .Accepts<string>("application/yaml", "text/yaml", "text/plain")
            .Produces<ModelDocument>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>A body that is not UTF-8 is refused rather than read with replacement characters: the model history keeps it verbatim.</summary>
    private static ModelProblem? NotUtf8(ReadOnlySpan<byte> body)
    {
        if (EventBatchReader.FindInvalidUtf8(body) is not (var at and >= 0))
        {
            return null;
        }

        var before = body[..at];
        var line = before.Count((byte)'\n') + 1;
        return new ModelProblem("request body", line, at - before.LastIndexOf((byte)'\n'), ProblemSeverity.Error,
            $"the text is not valid UTF-8 (byte 0x{body[at]:X2} at offset {at})");
    }

    private static IResult Get(ModelInForce models) =>
        models.Current is { Model: { } model } current ? TypedResults.Ok(ModelDocument.From(model, current.Warnings)) : Problems.NoModel();

    private static async Task<IResult> PutAsync(
        HttpRequest request, ModelReloader reloader, ModelInForce models, AuditTrail audit, CancellationToken cancellationToken)
    {
        var body = await EventEndpoints.RequestBody.ReadAsync(request, reloader.MaxBytes, cancellationToken);
        if (body is null)
        {
            return Problems.ModelTooLarge(reloader.MaxBytes);
        }

        if (NotUtf8(body.Value.Span) is { } notUtf8)
        {
            return Problems.InvalidModel([notUtf8]);
        }

        var yaml = Encoding.UTF8.GetString(body.Value.Span);
        var caller = Caller.Of(request.HttpContext.User);
        if (caller.Role != Role.Admin && reloader.Read(yaml, "request body") is { IsValid: true, Model: { } candidate }
            && CredentialChanges.Between(models.Current.Model, candidate) is { Count: > 0 } changed)
        {
            var what = string.Join("; ", changed);
            await audit.RefusedAsync(request.HttpContext, caller.Actor, $"only an admin may change tools' credentials: {what}");
            return AccessProblems.CredentialsNeedAdmin(caller, what);
        }

        var outcome = await reloader.ReloadTextAsync(
            yaml, "request body", $"api: {caller.Actor}", new AuditNote(caller.Actor, Caller.From(request.HttpContext)), cancellationToken);
        return outcome.Verdict == ReloadVerdict.Refused
            ? Problems.InvalidModel(outcome.Problems)
            : TypedResults.Ok(ModelDocument.From(outcome.State.Model!, outcome.State.Warnings));
    }
}
