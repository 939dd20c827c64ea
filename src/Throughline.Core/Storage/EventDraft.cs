namespace Throughline.Storage;

/// <summary>An event ready to be stored: what a tool sent, with the fields Throughline indexes.</summary>
/// <remarks>
/// <para><see cref="Source"/> and <see cref="Id"/> together identify the event: storing the same pair twice
/// keeps the first copy and counts the second as a duplicate.</para>
/// <para><see cref="Payload"/> is the event exactly as it was received (for a JSON array, the item's own
/// text); it is never re-serialised, so what a tool sent can always be read back byte for byte.</para>
/// </remarks>
/// <param name="Source">CDEvents <c>context.source</c>, or the webhook's tool and delivery source.</param>
/// <param name="Id">CDEvents <c>context.id</c>, or the webhook delivery id.</param>
/// <param name="Type">The CDEvents type, for example <c>dev.cdevents.service.deployed.0.3.0</c>.</param>
/// <param name="SubjectId">CDEvents <c>subject.id</c>, when present.</param>
/// <param name="Timestamp">When the event happened, according to the tool that sent it.</param>
/// <param name="SpecVersion">The CDEvents specification version the event declares.</param>
/// <param name="Mapped">False when Throughline does not interpret this type (yet): stored and reported, never dropped.</param>
/// <param name="Origin">How it arrived: <c>api</c>, <c>cli</c> or <c>hook:TOOL</c>.</param>
/// <param name="Payload">The raw event text, verbatim; for an event translated from a webhook, the CDEvent Throughline wrote (the delivery itself is kept verbatim in <see cref="DeliveryDraft"/>).</param>
/// <param name="Envelope">CloudEvents attributes that travelled outside the payload (binary mode headers), as JSON; otherwise null.</param>
public sealed record EventDraft(
    string Source,
    string Id,
    string Type,
    string? SubjectId,
    DateTimeOffset Timestamp,
    string? SpecVersion,
    bool Mapped,
    string Origin,
    string Payload,
    string? Envelope = null);

/// <summary>An event as stored, with its position in the store and the time it was received.</summary>
/// <param name="Sequence">Position in the store; higher is received later. Unique, never reused.</param>
/// <param name="ReceivedAt">When Throughline stored it (UTC, microsecond precision).</param>
/// <param name="Event">What was stored.</param>
/// <param name="DeliverySequence">The webhook delivery it was translated from (<see cref="StoredDelivery.Sequence"/>); null for CDEvents received as such.</param>
public sealed record StoredEvent(long Sequence, DateTimeOffset ReceivedAt, EventDraft Event, long? DeliverySequence = null)
{
    /// <summary>Why the row cannot be read as an event (<see cref="StoredRows"/>), or null when it can; readers report such a row and skip it.</summary>
    public string? Unreadable { get; init; }
}

/// <summary>What happened to a batch handed to <see cref="IEventStore.AppendAsync"/>.</summary>
/// <param name="Accepted">Events newly stored.</param>
/// <param name="Duplicates">Events already held (same source and id), acknowledged and not stored again.</param>
public sealed record AppendResult(int Accepted, int Duplicates);
