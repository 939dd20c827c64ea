using Throughline.Storage;

namespace Throughline.Intake.Hooks;

/// <summary>A delivery to translate: the tool it came from, what it sent, and when.</summary>
/// <param name="Tool">The tool from the model (or rebuilt from the stored kind when replaying a tool that left the model).</param>
/// <param name="Model">The operating model, when there is one: it names services after repositories and says which environment is production.</param>
/// <param name="DeliveryId">The delivery's id; translated events get ids <c>{DeliveryId}/{n}</c>.</param>
/// <param name="Headers">The kept headers, names in lowercase.</param>
/// <param name="Body">The body as received.</param>
/// <param name="ReceivedAt">When it was received; the time of events whose payload gives none.</param>
public sealed record HookMessage(
    Model.Tool Tool, Model.OperatingModel? Model, string DeliveryId, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset ReceivedAt);

/// <summary>The CDEvents written for one delivery.</summary>
/// <param name="Event">The tool's name for what happened (<c>pull_request.closed</c>, <c>incident.triggered</c>).</param>
/// <param name="Events">The events to store: the translated CDEvents, or one unmapped placeholder; never empty.</param>
/// <param name="UnmappedReason">Why nothing translated; null when <see cref="Events"/> are translations.</param>
public sealed record HookTranslation(string Event, IReadOnlyList<EventDraft> Events, string? UnmappedReason)
{
    /// <summary>True when the delivery translated into at least one CDEvent.</summary>
    public bool IsMapped => UnmappedReason is null;
}
