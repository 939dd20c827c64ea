using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Throughline.Access;
using Throughline.Intake;
using Throughline.Storage;
using Throughline.Web.Auth;

namespace Throughline.Web.Events;

internal static class EventEndpoints
{
    public const int DefaultListLimit = 50;

    private static readonly string[] AcceptedMediaTypes =
        ["application/json", "application/x-ndjson", "application/cloudevents+json", "application/cloudevents-batch+json"];

    /// <summary>JSON lines under the names tools use for it.</summary>
    private static readonly string[] JsonLinesAliases = ["application/jsonl", "application/jsonlines"];

    public sealed record IngestResponse(int Received, int Accepted, int Duplicates, int Unmapped);

    public sealed record EventItem(
        long Sequence, string Source, string Id, string Type, string? SubjectId, DateTimeOffset Timestamp,
        DateTimeOffset ReceivedAt, string? SpecVersion, bool Mapped, string Origin, JsonElement Payload, JsonElement? Envelope, long? Delivery);

    /// <summary>The newest events; <paramref name="Unreadable"/> lists the stored rows among them that cannot be read as events, left out of <paramref name="Items"/>.</summary>
    public sealed record EventList(long Total, IReadOnlyList<EventItem> Items, IReadOnlyList<UnreadableEvent> Unreadable);

    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddOptions<IntakeOptions>()
            .BindConfiguration(IntakeOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0, "Intake:MaxBodyBytes must be a positive number of bytes.")
            .ValidateOnStart();
        return services;
    }

    public static void MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/events", IngestAsync)
            .RequireAuthorization(RoleRequirement.Ingest.Name)
            .WithName("IngestEvents")
            .WithSummary("Stores CDEvents: one object, a JSON array, or CloudEvents in structured, batch or binary mode.")
            .WithDescription("All or nothing: one invalid item refuses the request (400, each bad item listed) and nothing is stored. " +
                "Events already held (same context.source and context.id) are acknowledged and counted as duplicates. " +
                "Needs an ingest token whose source prefixes cover every event's context.source (or an admin token). Only JSON and " +
                "CloudEvents media types are read (415 otherwise), so a web page cannot post events through a visitor's browser; " +
                "sources under /hooks/ belong to the webhook adapters and are refused.")
            .WithRequestBody(
                "CDEvents: one object, a JSON array, JSON lines, or CloudEvents (structured, batch, or binary mode with ce-* headers).",
                AcceptedMediaTypes)
            .Produces<IngestResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        app.MapGet("/api/events", ListAsync)
            .WithName("ListEvents")
            .WithSummary("The most recently received events, newest first, with the total stored; stored rows that cannot be read are listed apart.")
            .Produces<EventList>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        app.MapGet("/api/events/{sequence:long}", FindAsync)
            .WithName("GetEvent")
            .WithSummary("One stored event by its sequence number.")
            .Produces<EventItem>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapGet("/api/events/{sequence:long}/raw", RawAsync)
            .WithName("GetEventRaw")
            .WithSummary("The payload of one stored event exactly as the tool sent it, byte for byte.")
            .Produces<string>(contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> FindAsync(IEventStore store, long sequence, CancellationToken cancellationToken) =>
        await store.FindAsync(sequence, cancellationToken) switch
        {
            null => Problems.NotFound("event", sequence),
            { Unreadable: { } reason } => Problems.UnreadableEvent(sequence, reason),
            var stored => TypedResults.Ok(ToItem(stored)),
        };

    private static async Task<IResult> RawAsync(IEventStore store, long sequence, CancellationToken cancellationToken) =>
        await store.FindAsync(sequence, cancellationToken) is { } stored
            ? TypedResults.Text(stored.Event.Payload, "application/json", System.Text.Encoding.UTF8)
            : Problems.NotFound("event", sequence);

    private static async Task<IResult> IngestAsync(
        HttpRequest request, IEventStore store, TimeProvider time, IOptions<IntakeOptions> options, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return Problems.UnsupportedMediaType(request.ContentType, [.. AcceptedMediaTypes, .. JsonLinesAliases]);
        }

        var body = await RequestBody.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.TooLarge(options.Value.MaxBodyBytes);
        }

        var batch = EventBatchReader.Read(body.Value, request.ContentType, RequestBody.CloudEventHeaders(request), "api");
        if (!batch.IsValid)
        {
            return Problems.Refused(batch.Errors);
        }

        if (batch.Events.SelectMany((e, index) => ClaimedSources.Of(e).Select(source => (Refusal: ReservedSources.Refusal(source), Index: index)))
                .FirstOrDefault(e => e.Refusal is not null) is { Refusal: { } refusal } reserved)
        {
            return Problems.Refused([new IntakeError(reserved.Index, "context.source", refusal)]);
        }

        if (await RefuseSourcesAsync(request.HttpContext, batch.Events.SelectMany(ClaimedSources.Of), audit) is { } forbidden)
        {
            return forbidden;
        }

        var stored = await store.AppendAsync(batch.Events, time.GetUtcNow(), cancellationToken);
        var unmapped = batch.Events.Count(e => !e.Mapped);
        return TypedResults.Json(
            new IngestResponse(batch.Events.Count, stored.Accepted, stored.Duplicates, unmapped),
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The refusal (403, audited) when the caller's ingest token does not cover one of <paramref name="sources"/>; null when it may write them all.</summary>
    public static async Task<IResult?> RefuseSourcesAsync(HttpContext context, IEnumerable<string> sources, AuditTrail audit)
    {
        var caller = Caller.Of(context.User);
        if (caller.Role == Role.Ingest && sources.FirstOrDefault(source => !SourcePrefixes.Allows(caller.Sources, source)) is { } outside)
        {
            await audit.RefusedAsync(context, caller.Actor, $"source '{outside}' is outside the token's sources ({string.Join(", ", caller.Sources)})");
            return AccessProblems.SourceForbidden(caller, outside);
        }

        return null;
    }

    /// <summary>JSON, JSON lines or a CloudEvents type (any <c>application/*+json</c>): never a type a web form or a simple
    /// cross-site request can send (<c>text/plain</c>, form types, or no type at all).</summary>
    private static bool IsJson(string? contentType)
    {
        var mediaType = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return AcceptedMediaTypes.Contains(mediaType) || JsonLinesAliases.Contains(mediaType)
            || (mediaType.StartsWith("application/", StringComparison.Ordinal) && mediaType.EndsWith("+json", StringComparison.Ordinal));
    }

    private static async Task<IResult> ListAsync(IEventStore store, string? limit, CancellationToken cancellationToken)
    {
        if (ListLimit.Read(limit, DefaultListLimit) is not { } count)
        {
            return Problems.BadQuery("limit", ListLimit.Problem(limit));
        }

        var total = await store.CountAsync(cancellationToken);
        var items = await store.ListNewestAsync(count, cancellationToken);
        return TypedResults.Ok(new EventList(
            total,
            [.. items.Where(e => e.Unreadable is null).Select(ToItem)],
            [.. items.Where(e => e.Unreadable is not null).Select(e => new UnreadableEvent(e.Sequence, e.Unreadable!))]));
    }

    /// <summary>A readable stored event (<see cref="StoredEvent.Unreadable"/> null) as the API shows it.</summary>
    private static EventItem ToItem(StoredEvent stored)
    {
        var e = stored.Event;
        return new EventItem(
            stored.Sequence, e.Source, e.Id, e.Type, e.SubjectId, e.Timestamp, stored.ReceivedAt, e.SpecVersion, e.Mapped, e.Origin,
            ParseStored(e.Payload), e.Envelope is null ? null : ParseStored(e.Envelope), stored.DeliverySequence);
    }

    private static JsonElement ParseStored(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    internal static class RequestBody
    {
        private const string CloudEventHeaderPrefix = "ce-";

        /// <summary>The body, or null when it exceeds <paramref name="limit"/> bytes.</summary>
        public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
        {
            if (request.ContentLength > limit)
            {
                return null;
            }

            // Our own limit decides; lift the server's so it never answers for us with a bare 413.
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            {
                sizeFeature.MaxRequestBodySize = null;
            }

            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        public static Dictionary<string, string> CloudEventHeaders(HttpRequest request)
        {
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var header in request.Headers)
            {
                if (header.Key.StartsWith(CloudEventHeaderPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    headers[header.Key[CloudEventHeaderPrefix.Length..].ToLowerInvariant()] = header.Value.ToString();
                }
            }

            return headers;
        }
    }
}
