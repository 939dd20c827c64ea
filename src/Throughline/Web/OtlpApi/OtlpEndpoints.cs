using System.IO.Compression;
using Microsoft.Extensions.Options;
using Throughline.Intake;
using Throughline.Intake.Otlp;
using Throughline.Storage;
using Throughline.Web.Auth;
using Throughline.Web.Events;
using Throughline.Web.ModelReload;

namespace Throughline.Web.OtlpApi;

/// <summary>OTLP over HTTP: OpenTelemetry CI/CD spans, in binary protobuf or JSON, plain or gzipped, stored as CDEvents.</summary>
internal static class OtlpEndpoints
{
    private static readonly string[] MediaTypes = [OtlpTraceRequests.ProtobufType, OtlpTraceRequests.JsonType];

    public static void MapOtlpEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/traces", ReceiveAsync)
            .RequireAuthorization(RoleRequirement.Ingest.Name)
            .WithName("ReceiveTraces")
            .WithSummary("Receives OpenTelemetry spans (OTLP/HTTP, binary protobuf or JSON, gzip allowed) and stores the CI/CD ones as CDEvents.")
            .WithDescription("Spans with cicd.pipeline.* attributes become pipeline runs, with cicd.pipeline.task.* task runs, and a successful " +
                "task of type deploy naming deployment.environment.name a deployment; vcs.* name the change and commit built (docs/integrations.md). " +
                "Events come from source /otlp/SERVICE (the resource's service.name), so an ingest token needs that prefix. A span sent again " +
                "is stored once. The answer is OTLP's ExportTraceServiceResponse in the request's encoding: its partialSuccess counts the CI/CD " +
                "spans that could not be stored, with the reasons, or warns about spans that are not CI/CD (not stored). A body that is not a " +
                "trace export is refused (400, problem details) and nothing is stored.")
            .WithRequestBody("An OTLP ExportTraceServiceRequest (opentelemetry/proto/collector/trace/v1), Content-Encoding gzip allowed.", MediaTypes)
            .Produces(StatusCodes.Status200OK, contentType: OtlpTraceRequests.ProtobufType, additionalContentTypes: [OtlpTraceRequests.JsonType])
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> ReceiveAsync(
        HttpRequest request, IEventStore store, ModelInForce models, TimeProvider time, IOptions<IntakeOptions> options, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var mediaType = (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (!MediaTypes.Contains(mediaType))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The request body's media type is not an OTLP encoding; nothing was stored.",
                $"Content-Type '{request.ContentType ?? "(none)"}' is not read as traces: send {OtlpTraceRequests.ProtobufType} (the OTLP exporters' default) " +
                $"or {OtlpTraceRequests.JsonType} (OTLP/JSON).");
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is not ("" or "identity" or "gzip"))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The request body's encoding is not accepted; nothing was stored.",
                $"Content-Encoding '{encoding}' is not read: send the body as is, or gzipped (Content-Encoding: gzip, the OpenTelemetry Collector's default).");
        }

        var limit = options.Value.MaxBodyBytes;
        var body = await EventEndpoints.RequestBody.ReadAsync(request, limit, cancellationToken);
        if (body is null)
        {
            return Problems.TooLarge(limit);
        }

        if (encoding == "gzip")
        {
            body = Gunzip(body.Value, limit, out var notGzip);
            if (notGzip is not null)
            {
                return NotTraces($"the body is not gzip data, though Content-Encoding says gzip ({notGzip})");
            }

            if (body is null)
            {
                return Problems.TooLarge(limit);
            }
        }

        var json = mediaType == OtlpTraceRequests.JsonType;
        if (OtlpTraceRequests.Read(body.Value.Span, json, models.Current.Model, out var error) is not { } export)
        {
            return NotTraces(error!);
        }

        if (await EventEndpoints.RefuseSourcesAsync(request.HttpContext, export.Sources, audit) is { } forbidden)
        {
            return forbidden;
        }

        await store.AppendAsync(export.Translation.Events, time.GetUtcNow(), cancellationToken);
        return Results.Bytes(OtlpTraceRequests.Answer(export.Translation, json), json ? OtlpTraceRequests.JsonType : OtlpTraceRequests.ProtobufType);
    }

    /// <summary>The gunzipped body; null when it outgrows <paramref name="limit"/> (<paramref name="error"/> null) or is not gzip (<paramref name="error"/> set).</summary>
    private static ReadOnlyMemory<byte>? Gunzip(ReadOnlyMemory<byte> body, long limit, out string? error)
    {
        error = null;
        try
        {
            using var input = new GZipStream(new MemoryStream(body.ToArray()), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = input.Read(chunk)) > 0)
            {
                if (output.Length + read > limit)
                {
                    return null;
                }

                output.Write(chunk, 0, read);
            }

            return new ReadOnlyMemory<byte>(output.GetBuffer(), 0, (int)output.Length);
        }
        catch (InvalidDataException exception)
        {
            error = exception.Message;
            return null;
        }
    }

    private static IResult NotTraces(string reason) =>
        Problem(StatusCodes.Status400BadRequest, "invalid-traces", "The request is not an OTLP trace export; nothing was stored.", reason);

    private static IResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status, type: "urn:throughline:problem:" + type);
}
