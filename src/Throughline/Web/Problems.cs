using Throughline.Intake;

namespace Throughline.Web;

/// <summary>Maps refused requests to RFC 7807 problem details, in one place for every endpoint.</summary>
internal static partial class Problems
{
    public sealed record ProblemItem(int? Index, string Field, string Reason);

    /// <summary>How many of a request's errors are listed: an answer sized to the question, whatever the body holds.</summary>
    public const int MaxErrorsListed = 100;

    /// <summary>A refused request: the first <see cref="MaxErrorsListed"/> errors in <c>errors</c>, how many there are in
    /// <c>errorCount</c>, the first five in <c>detail</c>.</summary>
    public static IResult Refused(IReadOnlyList<IntakeError> errors) => TypedResults.Problem(
        title: "The request holds invalid events; nothing was stored.",
        detail: string.Join("; ", errors.Take(5).Select(e => e.ToString())) + (errors.Count > 5 ? $"; and {errors.Count - 5} more" : ""),
        statusCode: StatusCodes.Status400BadRequest,
        type: "urn:throughline:problem:invalid-events",
        extensions: new Dictionary<string, object?>
        {
            ["errors"] = errors.Take(MaxErrorsListed).Select(e => new ProblemItem(e.Index, e.Field, e.Reason)).ToList(),
            ["errorCount"] = errors.Count,
        });

    public static IResult TooLarge(long limit) => TypedResults.Problem(
        title: "The request body is too large; nothing was stored.",
        detail: $"The body exceeds the limit of {limit} bytes (Intake:MaxBodyBytes). Send smaller batches.",
        statusCode: StatusCodes.Status413PayloadTooLarge,
        type: "urn:throughline:problem:body-too-large");

    public static IResult UnsupportedMediaType(string? contentType, IReadOnlyList<string> accepted) => TypedResults.Problem(
        title: "The request body's media type is not accepted; nothing was stored.",
        detail: $"Content-Type '{contentType ?? "(none)"}' is not read as events: send one of {string.Join(", ", accepted)} " +
            "(or another application/*+json type), for example with curl -H 'Content-Type: application/json'.",
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        type: "urn:throughline:problem:unsupported-media-type");

    public static IResult NotFound(string what, object id) => TypedResults.Problem(
        title: $"No {what} {id}.",
        detail: $"There is no {what} with id {id}.",
        statusCode: StatusCodes.Status404NotFound,
        type: "urn:throughline:problem:not-found");

    public static IResult UnreadableEvent(long sequence, string reason) => TypedResults.Problem(
        title: $"Stored event {sequence} cannot be read as an event.",
        detail: $"{reason}. The row is left out of every list and of the timeline; GET /api/events/{sequence}/raw gives its payload as stored.",
        statusCode: StatusCodes.Status422UnprocessableEntity,
        type: "urn:throughline:problem:unreadable-event",
        extensions: new Dictionary<string, object?> { ["sequence"] = sequence, ["reason"] = reason });

    public static IResult BadQuery(string parameter, string reason) => TypedResults.Problem(
        title: $"The query parameter '{parameter}' is invalid.",
        detail: reason,
        statusCode: StatusCodes.Status400BadRequest,
        type: "urn:throughline:problem:invalid-query",
        extensions: new Dictionary<string, object?>
        {
            ["errors"] = new[] { new ProblemItem(null, parameter, reason) },
        });

    public sealed record ModelProblemItem(int Line, int Column, string Message);

    public static IResult InvalidModel(IReadOnlyList<Model.ModelProblem> errors) => TypedResults.Problem(
        title: "The operating model does not validate; the running one stays.",
        detail: string.Join("; ", errors.Take(5).Select(e => e.ToString())) + (errors.Count > 5 ? $"; and {errors.Count - 5} more" : ""),
        statusCode: StatusCodes.Status422UnprocessableEntity,
        type: "urn:throughline:problem:invalid-model",
        extensions: new Dictionary<string, object?>
        {
            ["errors"] = errors.Take(MaxErrorsListed).Select(e => new ModelProblemItem(e.Line, e.Column, e.Message)).ToList(),
            ["errorCount"] = errors.Count,
        });

    public static IResult ModelTooLarge(long limit) => TypedResults.Problem(
        title: "The operating model is too large; the running one stays.",
        detail: $"The body exceeds the limit of {limit} bytes for an operating model.",
        statusCode: StatusCodes.Status413PayloadTooLarge,
        type: "urn:throughline:problem:body-too-large");

    public static IResult NoModel() => TypedResults.Problem(
        title: "No operating model is loaded.",
        detail: "The server runs without an operating model; start it with one: throughline serve --model throughline.yaml.",
        statusCode: StatusCodes.Status404NotFound,
        type: "urn:throughline:problem:no-model");

    public static IResult UnknownTool(string tool, IEnumerable<string> known) => TypedResults.Problem(
        title: $"No tool '{tool}'.",
        detail: known.Any()
            ? $"'{tool}' is not a tool id of the operating model; hooks exist for: {string.Join(", ", known)}."
            : $"'{tool}' is not a tool id: the server runs without an operating model with tools (serve --model FILE).",
        statusCode: StatusCodes.Status404NotFound,
        type: "urn:throughline:problem:unknown-tool");

    public static IResult DeliveryNotText(string tool, string field, string reason) => TypedResults.Problem(
        title: "The delivery is not Unicode text; nothing was stored.",
        detail: $"Tool '{tool}': {(field.Length > 0 ? field + ": " : "")}{reason}.",
        statusCode: StatusCodes.Status400BadRequest,
        type: "urn:throughline:problem:invalid-delivery",
        extensions: new Dictionary<string, object?>
        {
            ["errors"] = new[] { new ProblemItem(null, field, reason) },
        });

    public static IResult Unauthorized(string tool, string reason) => TypedResults.Problem(
        title: "The delivery could not be verified; nothing was stored.",
        detail: $"Tool '{tool}': {reason}.",
        statusCode: StatusCodes.Status401Unauthorized,
        type: "urn:throughline:problem:unauthenticated-delivery");
}
