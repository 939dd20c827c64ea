namespace Throughline.Storage;

/// <summary>A webhook delivery as a tool sent it, ready to be stored before it is acknowledged.</summary>
/// <remarks>
/// <see cref="ToolId"/> and <see cref="DeliveryId"/> identify the delivery: a second delivery with the same pair is a
/// re-delivery and changes nothing. <see cref="Body"/> is the request body exactly as received (decoded as UTF-8);
/// <see cref="Headers"/> holds only the headers that matter for reading it again, never credentials.
/// </remarks>
/// <param name="ToolId">The tool id from the operating model (<c>POST /hooks/{ToolId}</c>).</param>
/// <param name="DeliveryId">The tool's delivery id (for example <c>X-GitHub-Delivery</c>), or <c>sha256:HEX</c> of the body when the tool sends none.</param>
/// <param name="Kind">The tool's kind when received, in lowercase (<c>github</c>); replay uses it when the tool has left the model.</param>
/// <param name="ReceivedAt">When Throughline received it (UTC).</param>
/// <param name="Headers">The kept headers as a JSON object, names in lowercase.</param>
/// <param name="Body">The body, verbatim.</param>
public sealed record DeliveryDraft(string ToolId, string DeliveryId, string Kind, DateTimeOffset ReceivedAt, string Headers, string Body);

/// <summary>A delivery as stored, with its position in the store.</summary>
/// <param name="Sequence">Position among deliveries; higher is received later.</param>
/// <param name="Delivery">What was stored.</param>
public sealed record StoredDelivery(long Sequence, DeliveryDraft Delivery);

/// <summary>What happened to a delivery handed to <see cref="IEventStore.AppendDeliveryAsync"/>.</summary>
/// <param name="Duplicate">True when the delivery was already held: nothing was stored.</param>
/// <param name="Sequence">The delivery's sequence when newly stored; null for a duplicate.</param>
/// <param name="Accepted">Events newly stored.</param>
public sealed record DeliveryResult(bool Duplicate, long? Sequence, int Accepted);
