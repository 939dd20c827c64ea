using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Model;

namespace Throughline.Intake.Hooks;

/// <summary>One CDEvent an adapter wants written: the short type (<c>change.merged</c>), its subject, time and content.</summary>
/// <param name="Type">Subject and predicate, for example <c>change.merged</c> or Throughline's own <c>git-push.received</c>.</param>
/// <param name="SubjectId">CDEvents <c>subject.id</c>.</param>
/// <param name="Timestamp">When it happened, according to the tool.</param>
/// <param name="Content">CDEvents <c>subject.content</c>, holding only the fields the CDEvents schema defines.</param>
/// <param name="Data">Everything else the timeline needs (change id, repository, commits, outcome, times), as <c>customData</c>.</param>
/// <param name="Id">The event's id when the tool's object names it (<see cref="HookContext.Emit"/>); null for <c>{deliveryId}/{n}</c>.</param>
internal sealed record GeneratedEvent(string Type, string SubjectId, DateTimeOffset Timestamp, JsonObject Content, JsonObject Data, string? Id = null);

/// <summary>What an adapter reads and writes while it translates one delivery.</summary>
internal sealed class HookContext(Tool tool, OperatingModel? model, IReadOnlyDictionary<string, string> headers, JsonElement body, DateTimeOffset receivedAt)
{
    private readonly List<GeneratedEvent> _events = [];

    public Tool Tool => tool;

    public JsonElement Body => body;

    public DateTimeOffset ReceivedAt => receivedAt;

    /// <summary>The tool's own name for what happened (<c>pull_request.closed</c>), for reports on unmapped deliveries.</summary>
    public string Event { get; set; } = "unknown";

    /// <summary>Why nothing was translated, when the adapter says so.</summary>
    public string? UnmappedReason { get; private set; }

    public IReadOnlyList<GeneratedEvent> Events => _events;

    /// <summary>A header's value (names are case-insensitive); null when absent.</summary>
    public string? Header(string name) => headers.TryGetValue(name.ToLowerInvariant(), out var value) && value.Length > 0 ? value : null;

    /// <summary>Adds an event; one without a subject id is skipped (the delivery then reports why, if nothing else translated).</summary>
    /// <param name="type">Subject and predicate (<c>change.merged</c>).</param>
    /// <param name="subjectId">The subject id; null or empty skips the event.</param>
    /// <param name="time">When it happened; null uses the time Throughline received the delivery.</param>
    /// <param name="content">Schema fields of <c>subject.content</c>.</param>
    /// <param name="data">Timeline fields, written to <c>customData</c>; null values are left out.</param>
    /// <param name="id">The event's id, derived from the tool's own id for the object, when the same object also arrives
    /// another way (an export) and must be stored once; null for the delivery's <c>{deliveryId}/{n}</c>.</param>
    public void Emit(string type, string? subjectId, DateTimeOffset? time, JsonObject content, JsonObject data, string? id = null)
    {
        if (string.IsNullOrWhiteSpace(subjectId))
        {
            UnmappedReason ??= $"the {Event} delivery names no subject for {type}";
            return;
        }

        _events.Add(new GeneratedEvent(type, subjectId, time ?? receivedAt, Values.WithoutNulls(content), Values.WithoutNulls(data), id));
    }

    /// <summary>Marks the delivery as not translatable, with the reason reported to users.</summary>
    public void Unmapped(string reason) => UnmappedReason = reason;

    /// <summary>The model's service built from <paramref name="repository"/> (<c>owner/name</c>), else the repository itself.</summary>
    public string? ServiceFor(string? repository) => repository is null ? null : OperatingModel.ServiceOfRepository(model, repository);

    /// <summary>The environment a paging tool's incidents are in when the payload does not say (<see cref="OperatingModel.DefaultProductionEnvironment"/>).</summary>
    public string DefaultIncidentEnvironment => OperatingModel.DefaultProductionEnvironment(model);

    /// <summary>The label (or field) that names <paramref name="thing"/> (<c>service</c>, <c>environment</c>), from the tool's <c>labels</c>.</summary>
    public string LabelFor(string thing) => tool.Labels.TryGetValue(thing, out var label) ? label : thing;
}
